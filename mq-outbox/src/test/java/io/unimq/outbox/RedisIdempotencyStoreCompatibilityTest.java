package io.unimq.outbox;

import io.unimq.api.IdempotencyStore;
import io.unimq.tck.IdempotencyStoreCompatibilityKit;
import java.util.UUID;

/** The idempotency store kit against {@link RedisIdempotencyStore} on the launcher's Redis. */
class RedisIdempotencyStoreCompatibilityTest extends IdempotencyStoreCompatibilityKit {
  static final String REDIS_URI = System.getenv().getOrDefault("UNIMQ_REDIS_URI", "redis://127.0.0.1:16379/0");
  private final String prefix = "unimq-outbox-test:" + UUID.randomUUID() + ":";

  @Override
  protected IdempotencyStore openStore() {
    return RedisIdempotencyStore.connect(REDIS_URI, prefix);
  }

  /** A second connection with the same key prefix, as another process has. */
  @Override
  protected IdempotencyStore openSharedStore() {
    return RedisIdempotencyStore.connect(REDIS_URI, prefix);
  }
}
