package io.unimq.redis.sentinel;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqCompatibilityKit;
import java.time.Duration;

/**
 * The compatibility kit on {@code redis-sentinel://} (the launcher's Sentinel topology), with the
 * default {@code replicaAcks=1}: every send waits for the replica. CI runs the areas that exercise
 * what differs from one node, the connections found through the sentinels and the replicated sends
 * ({@code -Dunimq.tck.areas=Produce,Ordering,Retry}, scripts/test.d/52-redis-sentinel); without
 * that property the whole kit runs.
 */
class RedisSentinelCompatibilityIT extends MqCompatibilityKit {
  @Override
  protected String uri() {
    return SentinelTopology.uri("lease=5s&txCheckInterval=2s");
  }

  @Override
  protected MqClient connect() {
    return Mq.connect(uri());
  }

  @Override
  protected Duration redeliveryTimeout() {
    return Duration.ofSeconds(10);
  }

  @Override
  protected Duration transactionCheckTimeout() {
    return Duration.ofSeconds(10);
  }
}
