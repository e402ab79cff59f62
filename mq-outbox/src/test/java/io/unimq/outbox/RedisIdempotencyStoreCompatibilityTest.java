package io.unimq.outbox;

import java.util.UUID;

/** The kit's idempotency area against {@link RedisIdempotencyStore} on the test Redis. */
class RedisIdempotencyStoreCompatibilityTest extends IdempotencyStoreKit {
  static final String REDIS_URI = io.unimq.testbrokers.TestBrokers.redisUri();

  @Override
  protected Opened openStore() {
    RedisIdempotencyStore store = RedisIdempotencyStore.connect(REDIS_URI, "unimq-outbox-test:" + UUID.randomUUID() + ":");
    return new Opened(store, store::close);
  }
}
