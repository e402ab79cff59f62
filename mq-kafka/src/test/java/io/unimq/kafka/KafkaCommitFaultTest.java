package io.unimq.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.Subscription;
import io.unimq.api.SubscriptionOptions;
import io.unimq.testbrokers.BrokerControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Kafka is paused (SIGSTOP) for longer than the consumer's session timeout while a consumer works through a
 * backlog: the group coordinator may then drop the member, and the offsets settled before and
 * during the pause cannot be committed under the old generation. They are committed when the
 * member gets its partitions back, so what was handled is not handled again. Pauses the shared broker.
 */
class KafkaCommitFaultTest {
  private static final int MESSAGES = 3000;

  @Test
  void offsetsSettledBeforeTheMemberWasDroppedAreCommittedWhenItRejoins() throws Exception {
    String topic = "commitfault-" + UUID.randomUUID().toString().substring(0, 8);
    String group = topic + "-g";
    try (MqClient c = Mq.connect(KafkaTestSupport.uri())) {
      c.admin().declareGroup(topic, group);
      List<CompletableFuture<?>> sends = new ArrayList<>();
      for (int i = 0; i < MESSAGES; i++) {
        sends.add(c.producer().sendAsync(Message.builder(topic).body("c" + i).build()).toCompletableFuture());
      }
      CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).join();
      Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
      Subscription sub = c.subscribe(topic, group, SubscriptionOptions.builder().concurrency(2).prefetch(256).build(), d -> {
        handled.computeIfAbsent(d.message().id(), k -> new AtomicInteger()).incrementAndGet();
        Thread.sleep(2);
      });
      await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() >= 500);
      BrokerControl.pause("kafka");
      try {
        // the fault itself: longer than the consumer's 6 s session timeout, shorter than the broker's
        // own 9 s session with its controller (past that the broker is fenced and its partitions
        // stay leaderless for a while after it resumes)
        Thread.sleep(7_500);
      } finally {
        BrokerControl.resume("kafka");
      }
      await().atMost(Duration.ofSeconds(40)).until(() -> handled.size() == MESSAGES);
      // the coordinator drops the member when it sees its session expired, and the member rejoins:
      // wait until nothing more arrives for a whole session timeout
      AtomicInteger calls = new AtomicInteger();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(7)).until(() -> {
        int now = handled.values().stream().mapToInt(AtomicInteger::get).sum();
        return calls.getAndSet(now) == now;
      });
      sub.close();
      // a new member of the group starts from the committed offsets: what it gets was not committed
      try (MqClient next = Mq.connect(KafkaTestSupport.uri())) {
        next.subscribe(topic, group, SubscriptionOptions.DEFAULT,
            d -> handled.computeIfAbsent(d.message().id(), k -> new AtomicInteger()).incrementAndGet());
        Thread.sleep(8000); // nothing is expected: waits for what the committed offsets leave behind
      }
      long twice = handled.values().stream().filter(n -> n.get() > 1).count();
      System.out.printf("after a 7.5 s pause: %d of %d messages handled twice%n", twice, MESSAGES);
      assertThat(twice).as("messages handled again after the pause").isZero();
    }
  }
}
