package io.unimq.outbox;

/** The kit's idempotency area against {@link JdbcIdempotencyStore} on H2. */
class H2IdempotencyStoreCompatibilityTest extends IdempotencyStoreKit {
  @Override
  protected Opened openStore() {
    TestDatabase db = TestDatabase.h2();
    OutboxSchema.createIdempotency(db.dataSource(), db.dialect());
    return new Opened(new JdbcIdempotencyStore(db.dataSource(), db.dialect()), db::close);
  }
}
