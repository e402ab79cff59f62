package io.unimq.memory.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.MqSendException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The engine fails a send that its transport does not report within {@code sendTimeout}, unless the
 * transport promises to report within that time itself ({@code SendTiming.reportBound}); and
 * it leaves retries to a transport that makes them itself ({@code SendTiming.retriesSends}).
 */
class SendTimeoutTest {
  private static String unique(String scheme) {
    return scheme + "://t" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void aSendNeverReportedFailsAfterTheSendTimeoutWithAnUnknownOutcome() {
    try (MqClient c = Mq.connect(unique("broken-silent") + "?sendTimeout=300ms&sendRetries=0")) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> c.producer().send(Message.builder("orders").body("x").build()))
          .isInstanceOf(MqSendException.class).hasMessageContaining("no confirmation within PT0.3S")
          .hasMessageContaining("outcome unknown");
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(millis).isBetween(250L, 3000L);
    }
  }

  @Test
  void whenTheTransportPromisesToReportWithinTheSendTimeoutTheEngineLeavesTheTimingToIt() {
    try (MqClient c = Mq.connect(unique("broken-late") + "?sendTimeout=1s&sendRetries=0")) {
      long start = System.nanoTime();
      assertThat(c.producer().send(Message.builder("orders").body("x").build())).isNotNull();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1400));
    }
  }

  @Test
  void whenTheTransportsBoundIsLongerThanTheSendTimeoutTheEngineTimesSendsOut() {
    try (MqClient c = Mq.connect(unique("broken-late") + "?sendTimeout=500ms&sendRetries=0")) {
      assertThatThrownBy(() -> c.producer().send(Message.builder("orders").body("x").build()))
          .isInstanceOf(MqSendException.class).hasMessageContaining("no confirmation within PT0.5S");
    }
  }

  @Test
  void whenTheTransportRetriesSendsItselfAFailureReportedLaterIsFinalAndTheMessageIsNotSentAgain() {
    try (MqClient c = Mq.connect(unique("broken-selfretry") + "?sendRetries=3")) {
      Message m = Message.builder("async-orders").body("x").build();
      assertThatThrownBy(() -> c.producer().send(m))
          .isInstanceOf(MqSendException.class).hasMessageContaining("retried by the client for up to PT30S")
          .hasMessageContaining("gave up after the client's retries").hasMessageContaining("outcome unknown");
      assertThat(SelfRetryingProvider.PUBLISHES.get(m.id())).hasValue(1);
    }
  }

  @Test
  void whenTheTransportRetriesSendsItselfASendThatFailsToStartIsRetriedByTheEngine() {
    try (MqClient c = Mq.connect(unique("broken-selfretry") + "?sendRetries=3")) {
      Message m = Message.builder("orders").body("x").build();
      assertThat(c.producer().send(m).messageId()).isEqualTo(m.id());
      assertThat(SelfRetryingProvider.PUBLISHES.get(m.id())).hasValue(2);
    }
  }

  @Test
  void aLostConnectionIsRetriedUntilItIsBackWithinTheSendTimeoutBeyondSendRetries() {
    try (MqClient c = Mq.connect(unique("broken-disconnected") + "?sendTimeout=10s&sendRetries=1")) {
      Message m = Message.builder("down-for-5").body("x").build();
      assertThat(c.producer().send(m).messageId()).isEqualTo(m.id());
      assertThat(DisconnectedProvider.PUBLISHES.get(m.id())).hasValue(6);
    }
  }

  @Test
  void aConnectionThatDoesNotComeBackFailsTheSendTypedWithinTheSendTimeout() {
    try (MqClient c = Mq.connect(unique("broken-disconnected") + "?sendTimeout=2s&sendRetries=1")) {
      Message m = Message.builder("orders").body("x").build();
      long start = System.nanoTime();
      assertThatThrownBy(() -> c.producer().send(m))
          .isInstanceOf(MqSendException.class).hasMessageContaining("the connection did not come back within sendTimeout (PT2S)")
          .hasMessageContaining("outcome unknown");
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(millis).isBetween(1000L, 2500L);
      assertThat(DisconnectedProvider.PUBLISHES.get(m.id()).get()).isGreaterThan(2);
    }
  }
}
