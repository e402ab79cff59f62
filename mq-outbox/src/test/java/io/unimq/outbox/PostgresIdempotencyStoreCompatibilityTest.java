package io.unimq.outbox;

/** The idempotency store kit against {@link JdbcIdempotencyStore} on PostgreSQL. */
class PostgresIdempotencyStoreCompatibilityTest extends JdbcIdempotencyStoreKit {
  @Override
  TestDatabase database() {
    return TestDatabase.postgres();
  }
}
