package io.unimq.outbox;

/** The kit's idempotency area against {@link JdbcIdempotencyStore} on PostgreSQL. */
class PostgresIdempotencyStoreCompatibilityTest extends IdempotencyStoreKit {
  @Override
  protected Opened openStore() {
    TestDatabase db = TestDatabase.postgres();
    OutboxSchema.createIdempotency(db.dataSource(), db.dialect());
    return new Opened(new JdbcIdempotencyStore(db.dataSource(), db.dialect()), db::close);
  }
}
