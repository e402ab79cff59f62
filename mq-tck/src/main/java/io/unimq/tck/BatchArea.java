package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.BatchFailedException;
import io.unimq.api.BatchHandler;
import io.unimq.api.Capability;
import io.unimq.api.Delivery;
import io.unimq.api.Message;
import io.unimq.api.SubscriptionOptions;
import io.unimq.tck.Recorder.Received;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@code Batch} area's rules: a {@link BatchHandler} gets bounded batches, acks them on success,
 * and failures follow the documented retry rule. Run as {@link MqCompatibilityKit.Batch}.
 */
abstract class BatchArea extends KitArea {
  BatchArea(MqCompatibilityKit kit) {
    super(kit);
  }

  final String topic = name("batch");
  final String group = name("batch-g");

  /** Every batch handed to a handler, and the deliveries it handled successfully. */
  static final class Batches {
    final List<List<Received>> batches = new ArrayList<>();
    final List<Received> handled = new ArrayList<>();

    synchronized void batch(List<Delivery> batch) {
      batches.add(batch.stream().map(Batches::received).collect(Collectors.toList()));
    }

    synchronized void handled(Delivery d) {
      handled.add(received(d));
    }

    static Received received(Delivery d) {
      return new Received("batch", d.group(), d.message(), d.attempt(), System.nanoTime(), Instant.now());
    }

    synchronized List<List<Received>> batches() {
      return List.copyOf(batches);
    }

    synchronized List<Received> handled() {
      return List.copyOf(handled);
    }

    List<String> handledIds() {
      return handled().stream().map(Received::id).collect(Collectors.toList());
    }
  }

  SubscriptionOptions batch(int maxSize, Duration maxWait) {
    return options().toBuilder().batch(maxSize, maxWait).build();
  }

  void awaitHandled(Batches b, List<String> ids, Duration atMost) {
    t().await(ids.size() + " messages handled in batches", atMost).untilAsserted(() ->
        assertThat(new HashSet<>(b.handledIds())).as("messages handled").containsAll(ids));
  }

  /** After everything was handled: nothing more comes, nothing twice, and the group has no lag. */
  void assertAckedOnce(Batches b, List<String> ids) {
    int before = b.handled().size();
    t().holdsFor("no redelivery", QUIET, () -> assertThat(b.handled()).as("handled deliveries").hasSize(before));
    assertThat(b.handledIds()).as("messages handled, each once").hasSize(ids.size()).containsExactlyInAnyOrderElementsOf(ids);
    awaitLag(client(), topic, group, 0, DELIVERY);
  }

  @Test
  @DisplayName("[BATCH-1] required: a backlog of 50 comes in batches of at most 10 (at least one full), each acked once on success")
  void batchesAreBoundedBySize() {
    client().admin().declareGroup(topic, group);
    List<String> ids = publish(client(), topic, 50, "batch");
    Batches b = new Batches();
    newClient().subscribeBatch(topic, group, batch(10, Duration.ofSeconds(2)), batch -> {
      b.batch(batch);
      batch.forEach(b::handled);
    });
    awaitHandled(b, ids, DELIVERY);
    assertAckedOnce(b, ids);
    assertThat(b.batches()).as("batch sizes").allSatisfy(x -> assertThat(x).hasSizeBetween(1, 10))
        .anySatisfy(x -> assertThat(x).hasSize(10));
  }

  @Test
  @DisplayName("[BATCH-2] required: a batch that does not fill up is handed over once its wait (1 s) has passed, and acked")
  void batchesAreBoundedByTime() {
    client().admin().declareGroup(topic, group);
    Batches b = new Batches();
    newClient().subscribeBatch(topic, group, batch(1000, Duration.ofSeconds(1)), batch -> {
      b.batch(batch);
      batch.forEach(b::handled);
    });
    long start = System.nanoTime();
    List<String> ids = publish(client(), topic, 3, "batch");
    awaitHandled(b, ids, DELIVERY);
    assertAckedOnce(b, ids);
    long firstAfter = (b.batches().get(0).get(0).nanoTime() - start) / 1_000_000;
    assertThat(firstAfter).as("ms from the first send to the first batch (wait 1 s)")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1).minus(TckTimeouts.CLOCK_SLACK).toMillis());
    assertThat(b.batches()).as("batches").allSatisfy(x -> assertThat(x).hasSizeBetween(1, 3));
  }

  @Test
  @DisplayName("[BATCH-3] optional (DEAD_LETTER): a batch handler that throws fails every message of the batch: each is retried by the policy and then handled once")
  void aThrowingBatchRetriesEveryMessage() {
    requires(Capability.DEAD_LETTER);
    client().admin().declareGroup(topic, group);
    List<String> ids = publish(client(), topic, 20, "batch");
    Batches b = new Batches();
    AtomicBoolean failedOnce = new AtomicBoolean();
    newClient().subscribeBatch(topic, group, batch(20, Duration.ofMillis(500)), batch -> {
      b.batch(batch);
      if (failedOnce.compareAndSet(false, true)) {
        throw new IllegalStateException("tck: the first batch fails");
      }
      batch.forEach(b::handled);
    });
    awaitHandled(b, ids, retrySchedule(fastRetry()));
    assertAckedOnce(b, ids);
    List<Received> first = b.batches().get(0);
    Map<String, Integer> attempts = new LinkedHashMap<>();
    b.handled().forEach(r -> attempts.put(r.id(), r.attempt()));
    for (Received r : first) {
      assertThat(attempts.get(r.id())).as("attempt that handled %s of the failed batch", r.id()).isEqualTo(2);
    }
  }

  @Test
  @DisplayName("[BATCH-4] optional (DEAD_LETTER): BatchFailedException(i) acks the messages before i, retries message i by the policy (then dead-letters it) and hands the rest to a later batch without an attempt")
  void batchFailedExceptionSplitsTheBatch() {
    requires(Capability.DEAD_LETTER);
    client().admin().declareGroup(topic, group);
    List<Message> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      all.add(message(topic, i == 4 ? "poison" : "good", i).build());
    }
    client().producer().sendBatch(all);
    String poison = all.get(4).id();
    List<String> good = all.stream().map(Message::id).filter(id -> !id.equals(poison)).collect(Collectors.toList());
    Batches b = new Batches();
    List<Integer> poisonAttempts = new ArrayList<>();
    newClient().subscribeBatch(topic, group, batch(10, Duration.ofMillis(500)), batch -> {
      b.batch(batch);
      for (int i = 0; i < batch.size(); i++) {
        Delivery d = batch.get(i);
        if (d.id().equals(poison)) {
          synchronized (poisonAttempts) {
            poisonAttempts.add(d.attempt());
          }
          throw new BatchFailedException(i, new IllegalStateException("tck: poison"));
        }
        b.handled(d);
      }
    });
    awaitHandled(b, good, DELIVERY);
    awaitDeadLetters(client(), topic, group, 1, retrySchedule(fastRetry()));
    assertThat(client().deadLetters(topic, group).peek(10)).extracting(Message::id).containsExactly(poison);
    int before = b.handled().size();
    t().holdsFor("no redelivery", QUIET, () -> assertThat(b.handled()).hasSize(before));
    assertThat(b.handledIds()).as("good messages, each handled once").containsExactlyInAnyOrderElementsOf(good);
    assertThat(b.handled()).as("attempts of the good messages").allSatisfy(r -> assertThat(r.attempt()).isEqualTo(1));
    synchronized (poisonAttempts) {
      assertThat(poisonAttempts).as("attempts of the failing message").containsExactly(1, 2, 3);
    }
    awaitLag(client(), topic, group, 0, DELIVERY);
  }

  @Test
  @DisplayName("[BATCH-5] optional (ORDERING): an ordered batch subscription keeps per-key order inside and across batches, also across a retry")
  void orderedBatchesKeepPerKeyOrder() {
    requires(Capability.ORDERING);
    List<String> keys = IntStream.range(0, 4).mapToObj(i -> "key-" + i).collect(Collectors.toList());
    Batches b = new Batches();
    AtomicBoolean failedOnce = new AtomicBoolean();
    SubscriptionOptions ordered = batch(10, Duration.ofMillis(100)).toBuilder().ordered(true).concurrency(4).build();
    client().subscribeBatch(topic, group, ordered, batch -> {
      b.batch(batch);
      for (Delivery d : batch) {
        if (d.key().equals("key-0") && d.header(Recorder.SEQ).equals("3") && failedOnce.compareAndSet(false, true)) {
          throw new IllegalStateException("tck: key-0 #3 fails once");
        }
      }
      batch.forEach(b::handled);
    });
    List<String> ids = publishKeyed(newClient(), topic, keys, 25);
    awaitHandled(b, ids, BULK);
    Map<String, List<Integer>> seqs = new LinkedHashMap<>();
    for (Received r : b.handled()) {
      seqs.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.seq());
    }
    List<Integer> expected = IntStream.range(0, 25).boxed().collect(Collectors.toList());
    for (String key : keys) {
      assertThat(seqs.get(key)).as("sequence numbers of %s in the order they were handled", key).containsExactlyElementsOf(expected);
    }
    for (List<Received> x : b.batches()) {
      Set<String> inBatch = new HashSet<>();
      for (Received r : x) {
        assertThat(inBatch.add(r.key())).as("key %s twice in one batch", r.key()).isTrue();
      }
    }
    assertThat(failedOnce).as("the retry happened").isTrue();
  }
}
