package io.unimq.redis;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqCompatibilityKit;
import io.unimq.testbrokers.TestBrokers;
import java.time.Duration;

/**
 * The whole compatibility kit against the test Redis ({@code UNIMQ_REDIS_URI}); the runs on the
 * launcher's topologies extend it and override only {@link #uri()}, with {@link #PARAMETERS}.
 */
public class RedisStreamCompatibilityTest extends MqCompatibilityKit {
  /** The kit's parameters on every Redis: a short lease and check interval keep redeliveries within the kit's timeouts. */
  protected static final String PARAMETERS = "lease=5s&txCheckInterval=2s";

  @Override
  protected String uri() {
    return TestBrokers.redisUri() + "?" + PARAMETERS;
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
