package io.unimq.outbox;

import io.unimq.api.IdempotencyStore;
import io.unimq.tck.IdempotencyStoreCompatibilityKit;
import java.util.UUID;

/** The idempotency store kit against {@link RedisIdempotencyStore} on the test Redis. */
class RedisIdempotencyStoreCompatibilityTest extends IdempotencyStoreCompatibilityKit {
  static final String REDIS_URI = io.unimq.testbrokers.TestBrokers.redisUri();
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
