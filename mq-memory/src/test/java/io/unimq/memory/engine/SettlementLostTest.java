package io.unimq.memory.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.RetryPolicy;
import io.unimq.api.SubscriptionOptions;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A retry or dead letter that fails (the connection was lost) releases the message; when it comes
 * back the engine carries out the same settlement instead of running the handler again, so a message
 * that always fails is handled exactly as often as its policy says, and ends in the dead letters.
 */
class SettlementLostTest {
  @Test
  void aMessageWhoseRetriesCouldNotBeScheduledIsHandledOnlyAsOftenAsItsPolicySays() {
    String uri = "engine-settlefails://t" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    SubscriptionOptions options = SubscriptionOptions.builder()
        .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(20)).build()).build();
    try (MqClient c = Mq.connect(uri)) {
      String topic = "orders-" + UUID.randomUUID().toString().substring(0, 8);
      c.subscribe(topic, "g", options, d -> {
        handled.computeIfAbsent(d.id(), id -> new AtomicInteger()).incrementAndGet();
        throw new IllegalStateException("always fails");
      });
      Message m = Message.builder(topic).body("x").build();
      c.producer().send(m);
      await().atMost(Duration.ofSeconds(10)).until(() -> c.deadLetters(topic, "g").count() == 1);
      assertThat(handled.get(m.id())).hasValue(3);
      assertThat(SettleFailsProvider.SETTLEMENTS.get(m.id()).get()).isGreaterThan(SettleFailsProvider.FAILING_SETTLEMENTS);
    }
  }
}
