package io.unimq.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.unimq.api.Message;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The relay's rules, run on each database by a subclass. */
abstract class OutboxRelayContract extends OutboxContract {

  @Test
  @DisplayName("a committed row is published with its id, key, headers, body and due time")
  void aCommittedRowIsPublishedWithItsContent() throws Exception {
    ConcurrentLinkedQueue<Message> received = new ConcurrentLinkedQueue<>();
    client.subscribe(topic, "g", d -> received.add(d.message()));
    Message sent = Message.builder(topic).key("user-1").header("prize", "gold & silver=yes").header("ü", "ß")
        .body(new byte[] {0, 1, 2, (byte) 255}).deliverAt(Instant.now().plusMillis(300).truncatedTo(ChronoUnit.MILLIS)).build();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      assertThat(Outbox.write(c, sent)).isEqualTo(sent.id());
      c.commit();
    }
    TestProducer producer = producer();
    OutboxRelay relay = track(relay(producer).build());
    assertThat(relay.relayOnce()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
    Message got = received.peek();
    assertThat(got.id()).isEqualTo(sent.id());
    assertThat(got.key()).isEqualTo("user-1");
    assertThat(got.headers()).containsEntry("prize", "gold & silver=yes").containsEntry("ü", "ß");
    assertThat(got.body()).containsExactly(0, 1, 2, 255);
    assertThat(got.deliverAt()).isEqualTo(sent.deliverAt());
    assertThat(pending()).isZero();
    assertThat(relay.relayOnce()).as("a sent row is not sent again").isZero();
  }

  @Test
  @DisplayName("a row of a rolled-back transaction is never published")
  void aRolledBackRowIsNeverPublished() throws Exception {
    Message kept = award("u1", 1, true);
    award("u1", 2, false);
    TestProducer producer = producer();
    OutboxRelay relay = track(relay(producer).sweepDelay(Duration.ZERO).build());
    relay.relayOnce();
    relay.sweepOnce();
    assertThat(producer.confirmed).extracting(Message::id).containsExactly(kept.id());
    assertThat(count("SELECT COUNT(*) FROM prize_award")).isEqualTo(1);
  }

  @Test
  @DisplayName("rows of one key are published in sequence order, also when sends fail and are retried")
  void rowsOfOneKeyArePublishedInOrderDespiteFailures() throws Exception {
    List<Message> written = awards(5, 40);
    TestProducer producer = producer();
    producer.failureRate(0.3);
    track(relay(producer).batchSize(37).sweepDelay(Duration.ZERO).build().start());
    await().atMost(Duration.ofSeconds(60)).until(() -> pending() == 0);
    assertThat(producer.refused.get()).as("sends refused").isPositive();
    assertThat(producer.confirmed).hasSize(written.size());
    assertInOrderPerKey(producer.confirmed);
  }

  @Test
  @DisplayName("rows left unsent go to the compensation sweep, whose position is kept in the database")
  void unsentRowsAreResentByTheSweepFromItsStoredPosition() throws Exception {
    TestProducer producer = producer();
    OutboxRelay live = track(relay(producer).build());
    awards(2, 5);
    producer.down(true);
    assertThat(live.relayOnce()).isZero();
    assertThat(count("SELECT COUNT(*) FROM unimq_outbox WHERE attempts = 1")).isEqualTo(10);
    assertThat(live.relayOnce()).as("the live pass leaves attempted rows to the sweep").isZero();
    producer.down(false);
    assertThat(live.sweepOnce()).as("younger than the sweep delay").isZero();
    OutboxRelay sweeper = track(relay(producer).sweepDelay(Duration.ZERO).build());
    assertThat(sweeper.sweepOnce()).isEqualTo(10);
    assertThat(pending()).isZero();
    long maxSeq = count("SELECT MAX(seq) FROM unimq_outbox");
    assertThat(sweeper.sweepPosition()).isEqualTo(maxSeq + 1);
    assertThat(count("SELECT position FROM unimq_outbox_position WHERE name = 'sweep'")).isEqualTo(maxSeq + 1);
    // a failure of the live pass moves the position back to the failed row
    award("u9", 1, true);
    producer.down(true);
    live.relayOnce();
    assertThat(sweeper.sweepPosition()).isEqualTo(maxSeq + 1);
    producer.down(false);
    assertThat(sweeper.sweepOnce()).isEqualTo(1);
    assertInOrderPerKey(producer.confirmed);
  }

  @Test
  @DisplayName("a key whose earlier row waits for the sweep is held back by the live pass")
  void aKeyWaitingForTheSweepIsHeldBack() throws Exception {
    TestProducer producer = producer();
    OutboxRelay relay = track(relay(producer).sweepDelay(Duration.ZERO).build());
    award("u1", 0, true);
    producer.down(true);
    relay.relayOnce();
    producer.down(false);
    award("u1", 1, true);
    award("u2", 0, true);
    assertThat(relay.relayOnce()).as("only u2: u1's second row waits behind its first").isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM unimq_outbox WHERE msg_key = 'u1' AND attempts = 1"))
        .as("u1's second row is handed to the sweep with its first").isEqualTo(2);
    assertThat(relay.relayOnce()).isZero();
    assertThat(relay.sweepOnce()).isEqualTo(2);
    assertInOrderPerKey(producer.confirmed);
    assertThat(producer.confirmed).hasSize(3);
  }

  @Test
  @DisplayName("sent rows are deleted after the retention, pending rows are kept")
  void sentRowsAreDeletedAfterTheRetention() throws Exception {
    TestProducer producer = producer();
    awards(1, 3);
    OutboxRelay relay = track(relay(producer).retention(Duration.ZERO).build());
    relay.relayOnce();
    producer.down(true);
    awards(1, 2);
    relay.relayOnce();
    assertThat(relay.cleanupOnce()).isEqualTo(3);
    assertThat(count("SELECT COUNT(*) FROM unimq_outbox")).isEqualTo(2);
    OutboxRelay keeping = track(relay(producer).retention(Duration.ofHours(1)).sweepDelay(Duration.ZERO).build());
    producer.down(false);
    keeping.sweepOnce();
    assertThat(keeping.cleanupOnce()).as("within the retention").isZero();
  }

  @Test
  @DisplayName("pending rows and the oldest row's age are Micrometer gauges")
  void pendingRowsAndOldestAgeAreGauges() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TestProducer producer = producer();
    producer.down(true);
    awards(2, 3);
    OutboxRelay relay = track(relay(producer).name("prizes").meterRegistry(registry).build().start());
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(registry.get("unimq.outbox.pending").tag("outbox", "prizes").gauge().value()).isEqualTo(6);
      assertThat(registry.get("unimq.outbox.oldest.age").gauge().value()).isGreaterThan(0);
      assertThat(registry.get("unimq.outbox.unconfirmed").functionCounter().count()).isEqualTo(6);
    });
    assertThat(relay.pendingRows()).isEqualTo(6);
    assertThat(relay.oldestPendingAge()).isPositive();
    relay.close(Duration.ofSeconds(5));
    assertThat(registry.find("unimq.outbox.pending").gauge()).as("removed on close").isNull();
  }

  @Test
  @DisplayName("two relays running at once never publish the same row twice")
  void twoRelaysNeverPublishTheSameRowTwice() throws Exception {
    TestProducer producer = producer();
    int writers = 4;
    int perWriter = 300;
    List<Message> backlog = awards(writers, perWriter / 2); // both relays start with work waiting
    // batches smaller than the number of keys: a relay holding a batch never holds every key, so the
    // other one always finds work (with 50 a fast relay could take every key in each round)
    OutboxRelay a = track(relay(producer).name("a").batchSize(2).build().start());
    OutboxRelay b = track(relay(producer).name("b").batchSize(2).build().start());
    CountDownLatch done = new CountDownLatch(writers);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      Thread t = new Thread(() -> {
        try {
          for (int n = perWriter / 2; n < perWriter; n++) {
            award("user" + writer, n, true);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        } finally {
          done.countDown();
        }
      });
      t.start();
      threads.add(t);
    }
    assertThat(done.await(120, TimeUnit.SECONDS)).isTrue();
    await().atMost(Duration.ofSeconds(60)).until(() -> pending() == 0);
    assertThat(backlog).hasSize(writers * perWriter / 2);
    assertThat(producer.confirmed).hasSize(writers * perWriter);
    assertThat(producer.confirmedById.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertInOrderPerKey(producer.confirmed);
    assertThat(a.publishedCount()).as("relay a published").isPositive();
    assertThat(b.publishedCount()).as("relay b published").isPositive();
    assertThat(a.publishedCount() + b.publishedCount()).isEqualTo(writers * perWriter);
  }

  /** Bodies are {@code key:n}; per key, n must rise in confirmation order without repeats. */
  static void assertInOrderPerKey(Iterable<Message> confirmed) {
    assertInOrderPerKey(confirmed, false);
  }

  /**
   * Bodies are {@code key:n}; per key, the first confirmation of each n must come in rising order.
   * With {@code duplicatesAllowed}, a row may be confirmed again later (a send that timed out and was
   * still delivered by the client after reconnecting, then re-sent by the sweep).
   */
  static void assertInOrderPerKey(Iterable<Message> confirmed, boolean duplicatesAllowed) {
    Map<String, List<Integer>> byKey = new LinkedHashMap<>();
    for (Message m : confirmed) {
      String body = m.bodyAsString();
      byKey.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(Integer.parseInt(body.substring(body.lastIndexOf(':') + 1)));
    }
    byKey.forEach((key, ns) -> {
      if (duplicatesAllowed) {
        assertThat(ns.stream().distinct().toList()).as("order of first confirmations of key " + key).isSorted();
      } else {
        assertThat(ns).as("order of key " + key).isSorted().doesNotHaveDuplicates();
      }
    });
  }
}
