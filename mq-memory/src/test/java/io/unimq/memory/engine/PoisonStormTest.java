package io.unimq.memory.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.RetryPolicy;
import io.unimq.api.SubscriptionOptions;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Poison messages (failing every attempt) do not slow the healthy ones down: settling a failure
 * (scheduling the retry, moving to the dead letters) costs a broker round trip, and that round trip
 * is not taken out of the handler threads' time.
 */
class PoisonStormTest {
  private static final int MESSAGES = 2000;
  private static final int HANDLER_MS = 4;

  @Test
  void healthyMessagesAreHandledAboutAsFastWithTenPercentPoison() throws Exception {
    long clean = healthyMillis(false);
    long poisoned = healthyMillis(true);
    double ratio = (double) poisoned / clean;
    System.out.printf("healthy messages handled in %d ms without poison, %d ms with 10%% poison: x%.2f%n", clean, poisoned, ratio);
    assertThat(ratio).as("time to handle the healthy messages with 10% poison / without").isLessThanOrEqualTo(1.25);
  }

  /** Sends {@link #MESSAGES} (every tenth poison when {@code poison}, otherwise skipped) and returns the ms until every healthy one was handled. */
  private static long healthyMillis(boolean poison) throws Exception {
    String topic = "poison-" + UUID.randomUUID();
    String group = "g";
    try (MqClient client = Mq.connect("engine-slowsettle://poison-" + UUID.randomUUID())) {
      client.admin().declareGroup(topic, group);
      Set<String> healthy = ConcurrentHashMap.newKeySet();
      for (int i = 0; i < MESSAGES; i++) {
        boolean bad = i % 10 == 0;
        if (bad && !poison) {
          continue;
        }
        Message m = Message.builder(topic).body(bad ? "poison" : "ok").build();
        if (!bad) {
          healthy.add(m.id());
        }
        client.producer().send(m);
      }
      Set<String> handled = ConcurrentHashMap.newKeySet();
      RetryPolicy retry = RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(100)).multiplier(1).build();
      long start = System.nanoTime();
      client.subscribe(topic, group, SubscriptionOptions.builder().concurrency(2).retryPolicy(retry).build(), d -> {
        if (d.message().bodyAsString().equals("poison")) {
          throw new IllegalStateException("poison");
        }
        Thread.sleep(HANDLER_MS);
        handled.add(d.message().id());
      });
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> handled.size() == healthy.size());
      long ms = (System.nanoTime() - start) / 1_000_000;
      if (poison) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(client.deadLetters(topic, group).count()).as("poison messages in the dead letters").isEqualTo(MESSAGES / 10));
      }
      return ms;
    }
  }
}
