package io.unimq.outbox;

import io.unimq.api.IdempotencyStore;
import io.unimq.tck.IdempotencyStoreCompatibilityKit;

/** The store kit against {@link JdbcIdempotencyStore} on one fresh database, closed after the rules. */
abstract class JdbcIdempotencyStoreKit extends IdempotencyStoreCompatibilityKit {
  private TestDatabase db;

  /** A fresh database. */
  abstract TestDatabase database();

  @Override
  protected IdempotencyStore openStore() {
    db = database();
    OutboxSchema.createIdempotency(db.dataSource(), db.dialect());
    return new JdbcIdempotencyStore(db.dataSource(), db.dialect());
  }

  /** Another store over the same table, as another process has. */
  @Override
  protected IdempotencyStore openSharedStore() {
    return new JdbcIdempotencyStore(db.dataSource(), db.dialect());
  }

  @Override
  protected void closeStore(IdempotencyStore store) {
    if (db != null) {
      db.close();
      db = null;
    }
  }
}
