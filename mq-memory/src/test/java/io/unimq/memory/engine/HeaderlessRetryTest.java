package io.unimq.memory.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.RetryPolicy;
import io.unimq.api.SubscriptionOptions;
import io.unimq.spi.Headers;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * For a transport whose retry redelivers the original message without the engine's headers, the
 * engine keeps the first-failure time itself: the dead letter tells when the message first failed.
 */
class HeaderlessRetryTest {
  @Test
  void theDeadLetterCarriesTheFirstFailureTimeThoughNoRetryCarriedIt() {
    RetryPolicy policy = RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(200)).build();
    List<Long> failures = new CopyOnWriteArrayList<>();
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    String name = "t" + UUID.randomUUID().toString().substring(0, 8);
    try (MqClient c = Mq.connect("engine-headerless://" + name)) {
      c.subscribe("orders", "billing", SubscriptionOptions.builder().retryPolicy(policy).build(), d -> {
        attempts.add(d.attempt());
        assertThat(d.message().header(Headers.FIRST_FAILURE)).isNull();
        failures.add(System.currentTimeMillis());
        throw new IllegalStateException("poison");
      });
      Message m = Message.builder("orders").body("x").build();
      c.producer().send(m);
      await().atMost(Duration.ofSeconds(10)).until(() -> c.deadLetters("orders", "billing").count() == 1);
      Message dead = c.deadLetters("orders", "billing").peek(1).get(0);
      assertThat(dead.id()).isEqualTo(m.id());
      assertThat(attempts).containsExactly(1, 2, 3);
      assertThat(dead.header(Headers.DLQ_ATTEMPTS)).isEqualTo("3");
      long first = Long.parseLong(dead.header(Headers.DLQ_FIRST_FAILURE));
      long last = Long.parseLong(dead.header(Headers.DLQ_LAST_FAILURE));
      assertThat(first).isBetween(failures.get(0), failures.get(1));
      assertThat(last - first).isGreaterThanOrEqualTo(policy.backoff(1).plus(policy.backoff(2)).toMillis() - 50);
    }
  }
}
