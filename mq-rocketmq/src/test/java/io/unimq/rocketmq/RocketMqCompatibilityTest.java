package io.unimq.rocketmq;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqCompatibilityKit;
import java.time.Duration;

/** The whole compatibility kit against the test RocketMQ 5 (namesrv + proxy in Local mode). */
class RocketMqCompatibilityTest extends MqCompatibilityKit {
  static final String URI = io.unimq.testbrokers.TestBrokers.rocketmqUri();

  @Override
  protected MqClient connect() {
    return Mq.connect(uri());
  }

  @Override
  protected String uri() {
    return URI;
  }

  /**
   * The broker's timer has 1 s precision (timerPrecisionMs), and a natively retried message (its
   * invisible duration changed to the backoff) is revived by the broker's pop revive service, which
   * was measured to make retries 1-5 s late (3.5 s for a 0.6 s backoff); the adapter's 1 s long poll
   * ({@code awaitDuration}) adds at most a second on the test proxy.
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
