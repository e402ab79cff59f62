package io.unimq.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.unimq.api.Idempotent;
import io.unimq.api.Message;
import io.unimq.api.SubscriptionOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Failures around the relay: the broker unreachable for a while, a relay dying between the
 * broker's confirm and marking its rows. The prize service consumes idempotently through a
 * {@link JdbcIdempotencyStore} in the same database; its side effect is counted per message id.
 */
abstract class OutboxFailureContract extends OutboxContract {
  /** Side effects (prize deliveries) per message id. */
  final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
  /** Every delivery the consumer saw, duplicates included. */
  final AtomicInteger deliveries = new AtomicInteger();

  @BeforeEach
  void subscribeThePrizeService() {
    JdbcIdempotencyStore store = new JdbcIdempotencyStore(dataSource, dialect);
    client.subscribe(topic, "prize-service", SubscriptionOptions.DEFAULT.toBuilder().concurrency(4).build(), d -> {
      deliveries.incrementAndGet();
      Idempotent.wrap(x -> delivered.computeIfAbsent(x.id(), k -> new AtomicInteger()).incrementAndGet(), store).handle(d);
    });
  }

  @Test
  @DisplayName("with the broker down, business and outbox rows keep committing; once it is back each is delivered exactly once")
  void brokerOutageLosesNothing() throws Exception {
    TestProducer producer = producer();
    OutboxRelay relay = track(relay(producer).sweepDelay(Duration.ofSeconds(1)).sweepInterval(Duration.ofMillis(200))
        .sendTimeout(Duration.ofSeconds(2)).build().start());
    List<String> committed = new ArrayList<>();
    List<String> rolledBack = new ArrayList<>();
    for (int n = 0; n < 20; n++) {
      committed.add(award("u" + n % 4, n, true).id());
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> delivered.size() == 20);
    broker.cut().accept(producer);
    long outageEnds = System.nanoTime() + Duration.ofSeconds(4).toNanos();
    int n = 20;
    while (System.nanoTime() < outageEnds) {
      committed.add(award("u" + n % 4, n, true).id());
      if (n % 5 == 0) {
        rolledBack.add(award("u" + n % 4, n, false).id());
      }
      n++;
      Thread.sleep(5);
    }
        assertThat(pending()).as("rows waiting for the broker").isPositive();
    await().atMost(Duration.ofSeconds(10)).until(() -> relay.unconfirmedCount() > 0);
    assertThat(count("SELECT COUNT(*) FROM prize_award")).isEqualTo(committed.size());
    broker.restore().accept(producer);
    await().atMost(Duration.ofSeconds(90)).until(() -> delivered.size() == committed.size() && pending() == 0);
    assertThat(delivered.keySet()).containsExactlyInAnyOrderElementsOf(committed).doesNotContainAnyElementsOf(rolledBack);
    assertThat(delivered.values()).allSatisfy(c -> assertThat(c.get()).as("side effects per id").isEqualTo(1));
    OutboxRelayContract.assertInOrderPerKey(producer.confirmed, true);
    System.out.printf("[outbox outage] %s: %d rows committed (%d rolled back) with the broker down for 4 s; %d sends unconfirmed;"
        + " %d deliveries for %d side effects%n", broker.producerUri(), committed.size(), rolledBack.size(),
        relay.unconfirmedCount(), deliveries.get(), delivered.size());
  }

  @Test
  @DisplayName("a relay killed between the broker's confirm and marking its rows loses nothing; the idempotent consumer absorbs the duplicates")
  void aRelayKilledMidBatchLosesNothing() throws Exception {
    List<Message> written = awards(4, 50);
    TestPool crashingPool = new TestPool(dataSource instanceof TestPool p ? p.physical() : dataSource);
    TestProducer crashing = producer();
    AtomicInteger confirms = new AtomicInteger();
    AtomicBoolean killed = new AtomicBoolean();
    crashing.afterConfirm(m -> {
      if (confirms.incrementAndGet() == 60 && killed.compareAndSet(false, true)) {
        crashingPool.killAll();
      }
    });
    OutboxRelay doomed = OutboxRelay.builder(crashingPool, crashing).batchSize(100).build();
    assertThatThrownBy(doomed::relayOnce).isInstanceOf(OutboxException.class);
    doomed.close(Duration.ofSeconds(1));
    assertThat(killed).isTrue();
    assertThat(crashing.confirmed.size()).as("published before the crash").isGreaterThanOrEqualTo(60);
    assertThat(pending()).as("nothing was marked sent by the dead relay").isEqualTo(written.size());

    TestProducer producer = producer();
    track(relay(producer).build().start());
    await().atMost(Duration.ofSeconds(60)).until(() -> delivered.size() == written.size() && pending() == 0);
    assertThat(delivered.values()).allSatisfy(c -> assertThat(c.get()).as("side effects per id").isEqualTo(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> deliveries.get() >= written.size() + crashing.confirmed.size());
    assertThat(deliveries.get()).as("deliveries, duplicates included").isGreaterThan(written.size());
    System.out.printf("[outbox crash] %s: %d rows, %d published by the killed relay, %d deliveries, %d side effects%n",
        broker.producerUri(), written.size(), crashing.confirmed.size(), deliveries.get(), delivered.size());
    OutboxRelayContract.assertInOrderPerKey(producer.confirmed, true);
  }
}
