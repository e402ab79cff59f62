package io.unimq.outbox;

import java.util.UUID;

/** The kit's idempotency area against {@link RedisIdempotencyStore} on the launcher's Redis. */
class RedisIdempotencyStoreCompatibilityTest extends IdempotencyStoreKit {
  static final String REDIS_URI = System.getenv().getOrDefault("UNIMQ_REDIS_URI", "redis://127.0.0.1:16379/0");

  @Override
  protected Opened openStore() {
    RedisIdempotencyStore store = RedisIdempotencyStore.connect(REDIS_URI, "unimq-outbox-test:" + UUID.randomUUID() + ":");
    return new Opened(store, store::close);
  }
}
