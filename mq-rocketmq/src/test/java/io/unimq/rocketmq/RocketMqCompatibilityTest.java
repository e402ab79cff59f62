package io.unimq.rocketmq;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqCompatibilityKit;
import java.time.Duration;

/** The whole compatibility kit against the launcher's RocketMQ 5 (namesrv + proxy in Local mode). */
class RocketMqCompatibilityTest extends MqCompatibilityKit {
  static final String URI = System.getenv().getOrDefault("UNIMQ_ROCKETMQ_URI",
      "rocketmq://127.0.0.1:18081?namesrv=127.0.0.1:19876");

  @Override
  protected MqClient connect() {
    return Mq.connect(uri());
  }

  @Override
  protected String uri() {
    return URI;
  }

  /**
   * The broker's timer has 1 s precision (timerPrecisionMs); a natively retried message (invisible
   * duration changed to the backoff) is revived by the broker's pop revive service about 5 s after
   * the change at the earliest, so retries with a backoff under 5 s arrive up to ~5 s late.
   */
  @Override
  protected Duration delayTolerance() {
    return Duration.ofSeconds(5);
  }

  /** The broker checks half messages back every transactionCheckInterval (5 s here) after transactionTimeOut (3 s). */
  @Override
  protected Duration transactionCheckTimeout() {
    return Duration.ofSeconds(20);
  }
}
