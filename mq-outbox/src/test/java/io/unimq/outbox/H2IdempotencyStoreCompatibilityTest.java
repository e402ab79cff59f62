package io.unimq.outbox;

/** The idempotency store kit against {@link JdbcIdempotencyStore} on H2. */
class H2IdempotencyStoreCompatibilityTest extends JdbcIdempotencyStoreKit {
  @Override
  TestDatabase database() {
    return TestDatabase.h2();
  }
}
