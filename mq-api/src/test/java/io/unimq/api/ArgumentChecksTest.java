package io.unimq.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Everything unimq throws is an MqException: the argument checks of the API's builders. */
class ArgumentChecksTest {
  @Test
  void aNullHeaderNameOrValueIsAnInvalidMessage() {
    assertThatThrownBy(() -> Message.builder("t").header(null, "v"))
        .isInstanceOf(MqInvalidMessageException.class).hasMessageContaining("header name is null");
    assertThatThrownBy(() -> Message.builder("t").header("type", null))
        .isInstanceOf(MqInvalidMessageException.class).hasMessageContaining("'type'").hasMessageContaining("empty string");
  }

  @Test
  void aNullHeadersMapOrNullsInsideItAreInvalidMessages() {
    assertThatThrownBy(() -> Message.builder("t").headers(null))
        .isInstanceOf(MqInvalidMessageException.class).hasMessageContaining("headers map is null");
    Map<String, String> withNull = new HashMap<>();
    withNull.put("type", null);
    assertThatThrownBy(() -> Message.builder("t").headers(withNull))
        .isInstanceOf(MqInvalidMessageException.class).hasMessageContaining("'type'");
    assertThat(Message.builder("t").headers(Map.of("a", "1")).build().header("a")).isEqualTo("1");
  }

  @Test
  void nullSubscriptionOptionsAreConfigurationErrors() {
    assertThatThrownBy(() -> SubscriptionOptions.builder().ackMode(null))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("ackMode").hasMessageContaining("AckMode.AUTO");
    assertThatThrownBy(() -> SubscriptionOptions.builder().retryPolicy(null))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("retryPolicy").hasMessageContaining("RetryPolicy.DEFAULT");
    assertThatThrownBy(() -> SubscriptionOptions.builder().drainTimeout(null))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("drainTimeout");
  }

  @Test
  void aNullRetryPredicateIsAConfigurationError() {
    assertThatThrownBy(() -> RetryPolicy.builder().retryOn(null))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("retryOn");
  }

  @Test
  void aMultiplierThatIsNotANumberIsRejected() {
    assertThatThrownBy(() -> RetryPolicy.builder().multiplier(Double.NaN))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("multiplier").hasMessageContaining("NaN");
    assertThatThrownBy(() -> RetryPolicy.builder().multiplier(0.99)).isInstanceOf(MqConfigurationException.class);
    assertThat(RetryPolicy.builder().multiplier(1.0).build().backoff(9)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void nullBackoffsAreConfigurationErrors() {
    assertThatThrownBy(() -> RetryPolicy.builder().initialBackoff(null))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("initialBackoff");
    assertThatThrownBy(() -> RetryPolicy.builder().maxBackoff(null))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("maxBackoff");
  }

  @Test
  void aHugeMaxBackoffSaturatesTheBackoffInsteadOfOverflowing() {
    RetryPolicy p = RetryPolicy.builder().maxAttempts(1000).multiplier(3).maxBackoff(Duration.ofSeconds(Long.MAX_VALUE)).build();
    assertThat(p.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.backoff(3)).isEqualTo(Duration.ofSeconds(9));
    assertThat(p.backoff(999)).isEqualTo(Duration.ofMillis(Long.MAX_VALUE));
    assertThat(p.shouldRetry(999, new RuntimeException())).isTrue();
    RetryPolicy huge = RetryPolicy.builder().initialBackoff(Duration.ofSeconds(Long.MAX_VALUE)).build();
    assertThat(huge.backoff(1)).isEqualTo(Duration.ofMillis(Long.MAX_VALUE));
    RetryPolicy zero = RetryPolicy.builder().initialBackoff(Duration.ZERO).multiplier(Double.POSITIVE_INFINITY).build();
    assertThat(zero.backoff(4)).isEqualTo(Duration.ZERO);
  }

  @Test
  void idempotentRejectsMissingPiecesAsConfigurationErrors() {
    MessageHandler h = d -> {};
    IdempotencyStore store = IdempotencyStore.inMemory();
    assertThatThrownBy(() -> Idempotent.wrap(null, store))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("handler");
    assertThatThrownBy(() -> Idempotent.wrap(h, null))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("IdempotencyStore.inMemory()");
    assertThatThrownBy(() -> Idempotent.wrap(h, store, null, Idempotent.DEFAULT_LEASE, Idempotent.DEFAULT_DONE_TTL))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("keyExtractor");
    assertThatThrownBy(() -> Idempotent.wrap(h, store, Message::id, null, Idempotent.DEFAULT_DONE_TTL))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("lease");
    assertThatThrownBy(() -> Idempotent.wrap(h, store, Message::id, Idempotent.DEFAULT_LEASE, null))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("doneTtl");
  }

  @Test
  void aNullOrWrongMeterRegistryIsAConfigurationError() {
    assertThatThrownBy(() -> Mq.builder("memory://x").meterRegistry(null))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("meterRegistry is null");
    assertThatThrownBy(() -> Mq.builder("memory://x").meterRegistry("registry"))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("io.micrometer.core.instrument.MeterRegistry")
        .hasMessageContaining("java.lang.String");
    Mq.builder("memory://x").meterRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }
}
