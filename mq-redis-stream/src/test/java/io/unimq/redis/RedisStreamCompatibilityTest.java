package io.unimq.redis;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqCompatibilityKit;
import io.unimq.testbrokers.TestBrokers;
import java.time.Duration;

/** The whole compatibility kit against the test Redis ({@code UNIMQ_REDIS_URI}). */
class RedisStreamCompatibilityTest extends MqCompatibilityKit {
  @Override
  protected String uri() {
    return TestBrokers.redisUri() + "?lease=5s&txCheckInterval=2s";
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
