package io.unimq.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  @Test
  void defaultBacksOffOneTwoFourEightThenCapsAtTen() {
    RetryPolicy p = RetryPolicy.DEFAULT;
    assertThat(p.maxAttempts()).isEqualTo(5);
    assertThat(p.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.backoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.backoff(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(p.backoff(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(p.backoff(5)).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.backoff(60)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void retriesUntilTheLastAttemptAndOnlyRetryableErrors() {
    RetryPolicy p = RetryPolicy.builder().maxAttempts(3).retryOn(e -> !(e instanceof IllegalArgumentException)).build();
    assertThat(p.shouldRetry(1, new RuntimeException())).isTrue();
    assertThat(p.shouldRetry(2, new RuntimeException())).isTrue();
    assertThat(p.shouldRetry(3, new RuntimeException())).isFalse();
    assertThat(p.shouldRetry(1, new IllegalArgumentException())).isFalse();
  }

  @Test
  void nonsenseIsRejected() {
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0)).isInstanceOf(MqConfigurationException.class);
    assertThatThrownBy(() -> RetryPolicy.builder().multiplier(0.5)).isInstanceOf(MqConfigurationException.class);
    assertThatThrownBy(() -> RetryPolicy.builder().initialBackoff(Duration.ofSeconds(-1))).isInstanceOf(MqConfigurationException.class);
  }
}
