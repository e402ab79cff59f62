package io.unimq.rocketmq;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Failover on {@code rocketmq-cluster} (two master-only broker groups behind two proxies): a producer
 * sends keyed messages with confirms (a failed send is sent again with the same id) while two groups
 * consume, one ordered by key, one not (behind {@link Idempotent}); the master of {@code broker-a} is
 * SIGKILLed mid-stream, sends go on to {@code broker-b}, then {@code broker-a} is brought back. Asserts
 * that no confirmed message is lost by either group (those stored on {@code broker-a} arrive once it is
 * back) and that no message has two side effects; counts duplicates, the keys whose first deliveries
 * in the ordered group left send order, the confirmed messages that waited for {@code broker-a}'s
 * return, and how long sends and consumption stopped. {@code -Dunimq.failover.runs=3} repeats it; each
 * run's figures are printed and appended to {@code target/rocketmq-failover.txt}.
 * Kills a node: run only with the topology up and nothing else using it.
 */
@Timeout(value = 40, unit = TimeUnit.MINUTES)
class RocketMqFailoverIT {
  private static final int RUNS = Integer.getInteger("unimq.failover.runs", 1);
  private static final int KEYS = 8;
  private static final Duration SEND_PACE = Duration.ofMillis(5);
  private static final String KILLED = "broker-a";

  record Figures(int run, int confirmed, int sendFailures, int lostOrdered, int lostPlain, int duplicatesOrdered,
      int duplicatesPlain, int duplicateSideEffects, int keysOutOfOrder, int waitedForReturn, double sendStallSeconds,
      double orderedStallSeconds, double plainStallSeconds, double groupBackSeconds) {
    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "run %d: killed %s; confirmed %d, send failures %d; lost: ordered %d, unordered %d;"
          + " delivered twice: ordered %d, unordered %d; duplicate side effects %d; keys out of order (ordered group) %d of %d;"
          + " confirmed before the kill but first delivered after the return %d; sends stalled %.1f s;"
          + " consumption stalled: ordered %.1f s, unordered %.1f s; group back in %.1f s", run, KILLED, confirmed, sendFailures,
          lostOrdered, lostPlain, duplicatesOrdered, duplicatesPlain, duplicateSideEffects, keysOutOfOrder, KEYS, waitedForReturn,
          sendStallSeconds, orderedStallSeconds, plainStallSeconds, groupBackSeconds);
    }
  }

  @Test
  void killingOneBrokerGroupMidStreamLosesNoConfirmedMessage() throws IOException {
    List<Figures> all = new ArrayList<>();
    for (int run = 1; run <= RUNS; run++) {
      Figures f = runOnce(run);
      System.out.println("RocketMqFailoverIT " + f);
      Path out = Path.of("target", "rocketmq-failover.txt");
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
    Map<String, Long> firstDelivered = new ConcurrentHashMap<>();
    Map<String, Integer> sideEffects = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<Long> orderedTimes = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Long> plainTimes = new ConcurrentLinkedQueue<>();
    List<Long> confirmTimes = Collections.synchronizedList(new ArrayList<>());
    Map<String, Long> confirmedAt = new ConcurrentHashMap<>();
    AtomicInteger sendFailures = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    String uri = RocketClusterBroker.uri();
    try (MqClient consumers = Mq.connect(uri); MqClient producer = Mq.connect(uri)) {
      consumers.subscribe(topic, "ordered", SubscriptionOptions.builder().ordered(true).build(), d -> {
        long now = System.nanoTime();
        orderedTimes.add(now);
        if (orderedDeliveries.merge(d.id(), 1, Integer::sum) == 1) {
          firstDelivered.putIfAbsent(d.id(), now);
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
              long now = System.nanoTime();
              confirmTimes.add(now);
              confirmedAt.put(m.id(), now);
              break;
            } catch (MqException e) {
              sendFailures.incrementAndGet();
            }
          }
          LockSupport.parkNanos(SEND_PACE.toNanos());
        }
      }, "failover-sender");
      sender.start();
      await().atMost(Duration.ofMinutes(3)).until(() -> confirmedAt.size() >= 200 && plainDeliveries.size() >= 100
          && orderedDeliveries.size() >= 100);

      long killedAt = System.nanoTime();
      RocketClusterBroker.kill(KILLED);
      int atKill = confirmedAt.size();
      await().atMost(Duration.ofMinutes(3)).until(() -> confirmedAt.size() >= atKill + 300);
      long upStart = System.nanoTime();
      RocketClusterBroker.up();
      double groupBack = (System.nanoTime() - upStart) / 1e9;
      int atUp = confirmedAt.size();
      await().atMost(Duration.ofMinutes(3)).until(() -> confirmedAt.size() >= atUp + 100);
      stop.set(true);
      await().atMost(Duration.ofMinutes(1)).until(() -> !sender.isAlive());

      Set<String> confirmed = Set.copyOf(confirmedAt.keySet());
      try {
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
            .until(() -> orderedDeliveries.keySet().containsAll(confirmed) && plainDeliveries.keySet().containsAll(confirmed));
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        // counted as lost below
      }
      int keysOutOfOrder = 0;
      for (int k = 0; k < KEYS; k++) {
        List<Integer> got = new ArrayList<>(firstSeqs.getOrDefault("key-" + k, List.of()));
        List<Integer> sorted = new ArrayList<>(got);
        Collections.sort(sorted);
        if (!got.equals(sorted)) {
          keysOutOfOrder++;
        }
      }
      int waited = (int) confirmed.stream().filter(id -> confirmedAt.get(id) < killedAt)
          .filter(id -> firstDelivered.getOrDefault(id, Long.MAX_VALUE) > upStart).count();
      int lostOrdered = (int) confirmed.stream().filter(id -> !orderedDeliveries.containsKey(id)).count();
      int lostPlain = (int) confirmed.stream().filter(id -> !plainDeliveries.containsKey(id)).count();
      return new Figures(run, confirmed.size(), sendFailures.get(), lostOrdered, lostPlain,
          orderedDeliveries.values().stream().mapToInt(n -> n - 1).sum(),
          plainDeliveries.values().stream().mapToInt(n -> n - 1).sum(),
          (int) sideEffects.values().stream().filter(n -> n > 1).count(), keysOutOfOrder, waited,
          longestGapAfter(killedAt, new ArrayList<>(confirmTimes)), longestGapAfter(killedAt, new ArrayList<>(orderedTimes)),
          longestGapAfter(killedAt, new ArrayList<>(plainTimes)), groupBack);
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
