package io.unimq.redis.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.SubscriptionOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The Redis master is killed (SIGKILL) while producers send with confirms and two groups consume,
 * one ordered by key and one not; the sentinels promote the replica; later the old master comes
 * back as a replica. Asserted per run: no confirmed send lost in either group, per-key order of
 * first deliveries kept in the ordered group; measured: duplicates, seconds from the kill until the
 * replica is promoted, until both groups deliver again (the first delivery after the promotion), and
 * until a send started after the kill is confirmed (with {@code replicaAcks=1}, the default, only once
 * a replica is linked again: the old master, brought back right after the promotion).
 * {@code -Dunimq.failover.runs=3} repeats it (docs/reliability.md).
 */
class RedisSentinelFailoverIT {
  private static final int KEYS = 8;

  record Figures(int confirmed, int failed, int delivered, long duplicatesOrdered, long duplicatesPlain, double promotedS,
      double consumedS, double sendsS, double oldMasterBackS) {}

  @Test
  void noConfirmedSendIsLostWhenTheMasterIsKilled() throws Exception {
    int runs = Integer.getInteger("unimq.failover.runs", 1);
    List<Figures> all = new ArrayList<>();
    for (int r = 1; r <= runs; r++) {
      Figures f = run();
      all.add(f);
      System.out.printf("redis-sentinel failover run %d: %s%n", r, f);
    }
    assertThat(all).hasSize(runs);
  }

  private static final class Group {
    final Set<String> seen = ConcurrentHashMap.newKeySet();
    final AtomicLong deliveries = new AtomicLong();
    final Map<String, List<Integer>> firstSeqs = new ConcurrentHashMap<>();
    /** When the first message was first delivered after the promotion (0: not yet). */
    final AtomicLong firstAfterPromotion = new AtomicLong();

    void delivered(Message m, AtomicLong promotedAt) {
      deliveries.incrementAndGet();
      if (!seen.add(m.id())) {
        return;
      }
      String[] ks = m.bodyAsString().split(":");
      List<Integer> seqs = firstSeqs.computeIfAbsent(ks[0], k -> new ArrayList<>());
      synchronized (seqs) {
        seqs.add(Integer.parseInt(ks[1]));
      }
      if (promotedAt.get() != 0) {
        firstAfterPromotion.compareAndSet(0, System.nanoTime());
      }
    }
  }

  private Figures run() throws Exception {
    String topic = "it-failover-" + String.format("%08x", ThreadLocalRandom.current().nextInt());
    Group ordered = new Group();
    Group plain = new Group();
    Set<String> confirmed = ConcurrentHashMap.newKeySet();
    AtomicLong promotedAt = new AtomicLong();
    AtomicInteger failed = new AtomicInteger();
    AtomicLong killedAt = new AtomicLong();
    AtomicLong sendsBack = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    try (MqClient client = Mq.connect(SentinelTopology.uri("lease=5s&partitions=4"))) {
      client.admin().declareGroup(topic, "ordered");
      client.admin().declareGroup(topic, "plain");
      client.subscribe(topic, "ordered", SubscriptionOptions.builder().ordered(true).build(), d -> ordered.delivered(d.message(), promotedAt));
      client.subscribe(topic, "plain", SubscriptionOptions.DEFAULT, d -> plain.delivered(d.message(), promotedAt));
      List<Thread> producers = new ArrayList<>();
      for (int k = 0; k < KEYS; k++) {
        String key = "k" + k;
        Thread t = new Thread(() -> {
          // one send in flight per key: the key's order is the order of its sends
          for (int seq = 0; !stop.get(); seq++) {
            Message m = Message.builder(topic).key(key).body(key + ":" + seq).build();
            boolean afterKill = killedAt.get() != 0;
            try {
              client.producer().send(m);
              confirmed.add(m.id());
              if (afterKill) {
                sendsBack.compareAndSet(0, System.nanoTime());
              }
            } catch (RuntimeException e) {
              failed.incrementAndGet();
            }
          }
        }, "failover-producer-" + k);
        t.start();
        producers.add(t);
      }
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> confirmed.size() >= 300 && ordered.seen.size() >= 200);
      String master = SentinelTopology.master();
      SentinelTopology.kill(master);
      long kill = System.nanoTime();
      killedAt.set(kill);
      String promoted = SentinelTopology.awaitNewMaster(master, Duration.ofSeconds(60));
      promotedAt.set(System.nanoTime());
      // the old master returns (as the new master's replica): the replica acknowledgements resume
      SentinelTopology.up();
      long backAt = System.nanoTime();
      Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> sendsBack.get() != 0
          && ordered.firstAfterPromotion.get() != 0 && plain.firstAfterPromotion.get() != 0);
      int atResume = confirmed.size();
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> confirmed.size() >= atResume + 200);
      stop.set(true);
      for (Thread t : producers) {
        t.join(60_000);
      }
      for (Group g : List.of(ordered, plain)) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
            assertThat(confirmed).as("confirmed sends never delivered (lost)").allMatch(g.seen::contains));
      }
      ordered.firstSeqs.forEach((key, seqs) -> {
        synchronized (seqs) {
          assertThat(seqs).as("first deliveries of key %s in the ordered group", key).isSorted().doesNotHaveDuplicates();
        }
      });
      assertThat(promoted).isNotEqualTo(master);
      long firstConsumed = Math.max(ordered.firstAfterPromotion.get(), plain.firstAfterPromotion.get());
      return new Figures(confirmed.size(), failed.get(), ordered.seen.size(), ordered.deliveries.get() - ordered.seen.size(),
          plain.deliveries.get() - plain.seen.size(), seconds(kill, promotedAt.get()), seconds(kill, firstConsumed),
          seconds(kill, sendsBack.get()), seconds(kill, backAt));
    } finally {
      stop.set(true);
      SentinelTopology.up();
    }
  }

  private static double seconds(long from, long to) {
    return Math.round((to - from) / 1e7) / 100.0;
  }
}
