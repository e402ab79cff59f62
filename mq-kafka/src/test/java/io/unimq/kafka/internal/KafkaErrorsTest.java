package io.unimq.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.MqConnectionException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class KafkaErrorsTest {
  @Test
  void anUnacknowledgedSendFailsAfterTheTimeoutNotTheProducersDeliveryTimeout() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> KafkaErrors.get(new CompletableFuture<>(), "send retry of m-1", Duration.ofMillis(300)))
        .isInstanceOf(MqConnectionException.class)
        .hasMessageContaining("cannot send retry of m-1")
        .hasMessageContaining("no acknowledgement from Kafka within PT0.3S");
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(tookMillis).isBetween(250L, 5_000L);
  }

  @Test
  void anAcknowledgedSendReturnsAtOnce() {
    assertThat(KafkaErrors.get(CompletableFuture.completedFuture("0@7"), "send x", Duration.ofSeconds(1))).isEqualTo("0@7");
  }

  @Test
  void aRetriableClientErrorIsAConnectionProblemNamingWhatFailed() {
    var e = KafkaErrors.translate(new java.util.concurrent.ExecutionException(
        new org.apache.kafka.common.errors.TimeoutException("no metadata")), "send to t failed");
    assertThat(e).isInstanceOf(MqConnectionException.class).hasMessageStartingWith("send to t failed: ")
        .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
    assertThat(KafkaErrors.translate(new org.apache.kafka.common.errors.InvalidTopicException("bad"), "cannot create topic x"))
        .isExactlyInstanceOf(io.unimq.api.MqException.class).hasMessageContaining("cannot create topic x");
  }
}
