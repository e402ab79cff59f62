package io.unimq.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.MqConnectionException;
import io.unimq.api.Subscription;
import io.unimq.api.SubscriptionOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Kafka-specific behaviour the kit does not see: the commit rule and rebalances. */
class KafkaAdapterTest {
  private final List<MqClient> clients = new ArrayList<>();
  private final String topic = "kafka-" + UUID.randomUUID().toString().substring(0, 8);
  private final String group = topic + "-g";

  private MqClient connect(String extra) {
    MqClient c = Mq.connect(KafkaTestSupport.uri() + extra);
    clients.add(c);
    return c;
  }

  @AfterEach
  void close() {
    clients.forEach(c -> c.close(Duration.ofSeconds(5)));
  }

  @Test
  void aSlowMessageBlocksItsCommitButNotItsNeighbours() throws Exception {
    MqClient c = connect("&partitions=1");
    CountDownLatch gate = new CountDownLatch(1);
    Set<String> handled = ConcurrentHashMap.newKeySet();
    c.subscribe(topic, group, SubscriptionOptions.builder().concurrency(4).build(), d -> {
      if (d.bodyAsString().equals("slow")) {
        gate.await(1, TimeUnit.MINUTES);
      }
      handled.add(d.bodyAsString());
    });
    c.producer().send(Message.builder(topic).body("slow").build());
    for (int i = 0; i < 20; i++) {
      c.producer().send(Message.builder(topic).body("fast-" + i).build());
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> handled.size() == 20);
    assertThat(handled).doesNotContain("slow");
    // every neighbour is acked, yet the commit stays before the slow one: all 21 still count
    Thread.sleep(500); // let the fetch thread commit whatever it (wrongly) could
    assertThat(c.admin().lag(topic, group)).isEqualTo(21);
    gate.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> c.admin().lag(topic, group) == 0);
  }

  @Test
  void anUnfinishedMessageOfAClosedMemberIsRedeliveredNotSkipped() throws Exception {
    MqClient a = connect("&partitions=1");
    CountDownLatch never = new CountDownLatch(1);
    Set<String> byA = ConcurrentHashMap.newKeySet();
    Subscription sa = a.subscribe(topic, group, SubscriptionOptions.builder().concurrency(4)
        .drainTimeout(Duration.ofMillis(200)).build(), d -> {
          if (d.bodyAsString().equals("stuck")) {
            never.await(1, TimeUnit.MINUTES); // still running when its subscription closes: released
            return;
          }
          byA.add(d.bodyAsString());
        });
    a.producer().send(Message.builder(topic).body("stuck").build());
    for (int i = 0; i < 10; i++) {
      a.producer().send(Message.builder(topic).body("after-" + i).build());
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> byA.size() == 10);
    sa.close(Duration.ZERO);
    never.countDown();
    Set<String> byB = ConcurrentHashMap.newKeySet();
    connect("").subscribe(topic, group, SubscriptionOptions.DEFAULT, d -> byB.add(d.bodyAsString()));
    await().atMost(Duration.ofSeconds(30)).until(() -> byB.contains("stuck"));
  }

  @Test
  void membersJoiningAndLeavingMidStreamLoseNothing() throws Exception {
    MqClient producer = connect("&linger=1ms");
    Set<String> got = ConcurrentHashMap.newKeySet();
    SubscriptionOptions opts = SubscriptionOptions.builder().concurrency(4).build();
    Subscription first = connect("").subscribe(topic, group, opts, d -> {
      Thread.sleep(1);
      got.add(d.id());
    });
    List<String> sent = new ArrayList<>();
    for (int round = 0; round < 6; round++) {
      for (int i = 0; i < 250; i++) {
        Message m = Message.builder(topic).key("k" + (i % 40)).body("r" + round + "-" + i).build();
        producer.producer().sendAsync(m);
        sent.add(m.id());
      }
      switch (round) {
        case 1 -> connect("").subscribe(topic, group, opts, d -> got.add(d.id()));
        case 2 -> connect("").subscribe(topic, group, opts, d -> got.add(d.id()));
        case 3 -> first.close(Duration.ofSeconds(2));
        case 4 -> clients.get(2).close(Duration.ofSeconds(2));
        default -> { }
      }
      Thread.sleep(700);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> got.containsAll(sent));
  }

  @Test
  void delayedMessagesAreNeverEarlyAndLateByLittle() {
    MqClient c = connect("");
    java.util.Map<String, Long> lateness = new ConcurrentHashMap<>();
    c.subscribe(topic, group, SubscriptionOptions.DEFAULT,
        d -> lateness.put(d.id(), System.currentTimeMillis() - Long.parseLong(d.header("due"))));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      long due = System.currentTimeMillis() + 300 + 250L * ((i * 7) % 30);
      Message m = Message.builder(topic).header("due", Long.toString(due)).deliverAt(java.time.Instant.ofEpochMilli(due)).body("d" + i).build();
      c.producer().send(m);
      ids.add(m.id());
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> lateness.keySet().containsAll(ids));
    long max = lateness.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    long min = lateness.values().stream().mapToLong(Long::longValue).min().orElseThrow();
    double avg = lateness.values().stream().mapToLong(Long::longValue).average().orElseThrow();
    System.out.printf("delay lateness over %d messages (0.3-7.5 s): min %d ms, avg %.0f ms, max %d ms%n", ids.size(), min, avg, max);
    assertThat(min).as("never early").isGreaterThanOrEqualTo(0);
    assertThat(max).as("late by at most").isLessThan(1000);
  }

  @Test
  void connectingToABrokerThatIsDownFailsFastNamingTheAddress() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> Mq.connect("kafka://127.0.0.1:1?connectTimeout=2s"))
        .isInstanceOf(MqConnectionException.class).hasMessageContaining("127.0.0.1:1");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
  }

  @Test
  void aReplicationFactorLargerThanTheClusterFailsAtConnectNamingIt() {
    assertThatThrownBy(() -> Mq.connect(KafkaTestSupport.uri() + "&replicationFactor=3"))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("replicationFactor").hasMessageContaining("1 live broker");
  }

  @Test
  void aBootstrapListConnectsThroughAnyReachableEntry() {
    // the first entry refuses connections: the client bootstraps from the second
    String single = KafkaTestSupport.uri().substring("kafka://".length());
    MqClient c = Mq.connect("kafka://127.0.0.1:1," + single);
    clients.add(c);
    c.producer().send(Message.builder(topic).body("through-the-second").build());
    assertThat(c.admin().topics()).contains(topic);
  }
}
