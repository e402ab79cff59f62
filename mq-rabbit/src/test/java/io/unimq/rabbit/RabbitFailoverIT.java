package io.unimq.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.unimq.api.Delivery;
import io.unimq.api.Idempotent;
import io.unimq.api.IdempotencyStore;
import io.unimq.api.Message;
import io.unimq.api.MessageHandler;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.MqException;
import io.unimq.api.SubscriptionOptions;
import io.unimq.tck.TckNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Failover on the 3-node {@code rabbitmq-cluster}: a producer sends keyed messages with confirms (a
 * failed send is sent again with the same id) while two groups consume, one ordered by key, one
 * not (behind {@link Idempotent}); the node that leads the unordered group's quorum queue ({@code
 * scripts/brokers leader rabbitmq-cluster QUEUE}) is SIGKILLed mid-stream, then brought back. Asserts
 * that no confirmed message is lost by either group, that the ordered group's first deliveries of
 * each key are in send order, and that no message has two side effects; counts duplicates and
 * measures how long sends and consumption stopped. {@code -Dunimq.failover.runs=3} repeats it; each
 * run's figures are printed and appended to {@code target/rabbit-failover.txt}.
 * Kills a node: run only with the topology up and nothing else using it.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class RabbitFailoverIT {
  private static final int RUNS = Integer.getInteger("unimq.failover.runs", 1);
  private static final int KEYS = 8;
  private static final Duration SEND_PACE = Duration.ofMillis(5);

  record Figures(int run, String killed, int confirmed, int sendFailures, int lostOrdered, int lostPlain, int duplicatesOrdered,
      int duplicatesPlain, int duplicateSideEffects, double sendStallSeconds, double orderedStallSeconds,
      double plainStallSeconds, double nodeBackSeconds) {
    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "run %d: killed %s; confirmed %d, send failures %d; lost: ordered %d, unordered %d;"
          + " delivered twice: ordered %d, unordered %d; duplicate side effects %d; sends stalled %.1f s;"
          + " consumption stalled: ordered %.1f s, unordered %.1f s; node back in %.1f s", run, killed, confirmed, sendFailures,
          lostOrdered, lostPlain, duplicatesOrdered, duplicatesPlain, duplicateSideEffects, sendStallSeconds, orderedStallSeconds,
          plainStallSeconds, nodeBackSeconds);
    }
  }

  @Test
  void killingTheLeaderOfAGroupsQuorumQueueMidStreamLosesNoConfirmedMessage() throws IOException {
    List<Figures> all = new ArrayList<>();
    for (int run = 1; run <= RUNS; run++) {
      Figures f = runOnce(run);
      System.out.println("RabbitFailoverIT " + f);
      Path out = Path.of("target", "rabbit-failover.txt");
      Files.writeString(out, Instant.now() + " " + f + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      all.add(f);
    }
    for (Figures f : all) {
      assertThat(f.lostOrdered()).as("confirmed messages the ordered group never got, run %d", f.run()).isZero();
      assertThat(f.lostPlain()).as("confirmed messages the unordered group never got, run %d", f.run()).isZero();
      assertThat(f.duplicateSideEffects()).as("side effects done twice behind Idempotent, run %d", f.run()).isZero();
    }
  }

  private Figures runOnce(int run) {
    String topic = TckNames.unique("failover");
    Map<String, List<Integer>> firstSeqs = new ConcurrentHashMap<>();
    Map<String, Integer> orderedDeliveries = new ConcurrentHashMap<>();
    Map<String, Integer> plainDeliveries = new ConcurrentHashMap<>();
    Map<String, Integer> sideEffects = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<Long> orderedTimes = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Long> plainTimes = new ConcurrentLinkedQueue<>();
    List<Long> confirmTimes = Collections.synchronizedList(new ArrayList<>());
    Set<String> confirmed = ConcurrentHashMap.newKeySet();
    Map<String, List<String>> sentIdsByKey = new ConcurrentHashMap<>();
    AtomicInteger sendFailures = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    String uri = RabbitClusterBroker.uri();
    try (MqClient consumers = Mq.connect(uri); MqClient producer = Mq.connect(uri)) {
      consumers.subscribe(topic, "ordered", SubscriptionOptions.builder().ordered(true).build(), d -> {
        orderedTimes.add(System.nanoTime());
        if (orderedDeliveries.merge(d.id(), 1, Integer::sum) == 1) {
          firstSeqs.computeIfAbsent(d.key(), k -> Collections.synchronizedList(new ArrayList<>())).add(Integer.parseInt(d.header("seq")));
        }
      });
      MessageHandler sideEffect = d -> sideEffects.merge(d.id(), 1, Integer::sum);
      MessageHandler idempotent = Idempotent.wrap(sideEffect, IdempotencyStore.inMemory());
      consumers.subscribe(topic, "plain", (Delivery d) -> {
        plainTimes.add(System.nanoTime());
        plainDeliveries.merge(d.id(), 1, Integer::sum);
        idempotent.handle(d);
      });
      Thread sender = new Thread(() -> {
        int[] seq = new int[KEYS];
        for (int i = 0; !stop.get(); i++) {
          String key = "key-" + (i % KEYS);
          Message m = Message.builder(topic).key(key).header("seq", Integer.toString(seq[i % KEYS]++)).body(key).build();
          while (!stop.get()) { // until confirmed, with the same id: a failed send may still have been stored
            try {
              producer.producer().send(m);
              confirmTimes.add(System.nanoTime());
              confirmed.add(m.id());
              sentIdsByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(m.id());
              break;
            } catch (MqException e) {
              sendFailures.incrementAndGet();
            }
          }
          LockSupport.parkNanos(SEND_PACE.toNanos());
        }
      }, "failover-sender");
      sender.start();
      await().atMost(Duration.ofMinutes(2)).until(() -> confirmed.size() >= 200 && plainDeliveries.size() >= 100);

      String leader = RabbitClusterBroker.leader("unimq." + topic + ".plain");
      long killedAt = System.nanoTime();
      RabbitClusterBroker.kill(leader);
      int atKill = confirmed.size();
      await().atMost(Duration.ofMinutes(3)).until(() -> confirmed.size() >= atKill + 300);
      long upStart = System.nanoTime();
      RabbitClusterBroker.up();
      double nodeBack = (System.nanoTime() - upStart) / 1e9;
      int atUp = confirmed.size();
      await().atMost(Duration.ofMinutes(2)).until(() -> confirmed.size() >= atUp + 100);
      stop.set(true);
      await().atMost(Duration.ofMinutes(1)).until(() -> !sender.isAlive());

      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
          .until(() -> orderedDeliveries.keySet().containsAll(confirmed) && plainDeliveries.keySet().containsAll(confirmed));
      // the ordered group's first deliveries of each key are in send order
      for (int k = 0; k < KEYS; k++) {
        String key = "key-" + k;
        List<Integer> got = new ArrayList<>(firstSeqs.getOrDefault(key, List.of()));
        int sent = sentIdsByKey.getOrDefault(key, List.of()).size();
        assertThat(got).as("first deliveries of %s in the ordered group, run %d", key, run)
            .containsExactlyElementsOf(IntStream.range(0, sent).boxed().toList());
      }
      int lostOrdered = (int) confirmed.stream().filter(id -> !orderedDeliveries.containsKey(id)).count();
      int lostPlain = (int) confirmed.stream().filter(id -> !plainDeliveries.containsKey(id)).count();
      return new Figures(run, leader, confirmed.size(), sendFailures.get(), lostOrdered, lostPlain,
          orderedDeliveries.values().stream().mapToInt(n -> n - 1).sum(),
          plainDeliveries.values().stream().mapToInt(n -> n - 1).sum(),
          (int) sideEffects.values().stream().filter(n -> n > 1).count(),
          longestGapAfter(killedAt, new ArrayList<>(confirmTimes)), longestGapAfter(killedAt, new ArrayList<>(orderedTimes)),
          longestGapAfter(killedAt, new ArrayList<>(plainTimes)), nodeBack);
    } finally {
      stop.set(true);
    }
  }

  /** The longest time without an event from {@code since} on (the first gap runs from {@code since}), in seconds. */
  private static double longestGapAfter(long since, List<Long> times) {
    Collections.sort(times);
    long previous = since;
    long longest = 0;
    for (long t : times) {
      if (t > since) {
        longest = Math.max(longest, t - previous);
        previous = t;
      }
    }
    return longest / 1e9;
  }
}
