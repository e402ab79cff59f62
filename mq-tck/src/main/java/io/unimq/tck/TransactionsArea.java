package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Capability;
import io.unimq.api.Message;
import io.unimq.api.MqClient;
import io.unimq.api.TransactionState;
import io.unimq.api.TransactionalProducer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@code Transactions} area's rules: a half message is delivered only once committed. Run as
 * {@link MqCompatibilityKit.Transactions}.
 */
abstract class TransactionsArea extends KitArea {
  TransactionsArea(MqCompatibilityKit kit) {
    super(kit);
  }

  final String topic = name("tx");
  final String group = name("tx-g");
  final String producerGroup = name("tx-pg");
  final Recorder r = recorder();
  final List<String> asked = new CopyOnWriteArrayList<>();

  @BeforeEach
  void requiresTransactions() {
    requires(Capability.TRANSACTIONS);
    client().subscribe(topic, group, options(), r.handler("c"));
  }

  /** A producer whose checker records what it is asked and answers with {@code answer}. */
  TransactionalProducer producer(MqClient c, Function<Message, TransactionState> answer) {
    return c.transactionalProducer(producerGroup, half -> {
      asked.add(half.id());
      return answer.apply(half);
    });
  }

  Duration checked() {
    return transactionCheckTimeout().plus(DELIVERY);
  }

  /** Bounded watch that a message stays undelivered: up to 5 s, or the check timeout if shorter. */
  Duration neverWindow() {
    Duration check = scaled(transactionCheckTimeout());
    return check.compareTo(Duration.ofSeconds(5)) < 0 ? check : Duration.ofSeconds(5);
  }

  @Test
  @DisplayName("[TX-1] optional (TRANSACTIONS): a committed transaction is delivered and sendInTransaction returns COMMIT")
  void aCommittedTransactionIsDelivered() {
    Message m = Message.builder(topic).body("paid").build();
    AtomicReference<String> seenByLocal = new AtomicReference<>();
    TransactionState state = producer(client(), h -> TransactionState.UNKNOWN).sendInTransaction(m, half -> {
      seenByLocal.set(half.id());
      return TransactionState.COMMIT;
    });
    assertThat(state).isEqualTo(TransactionState.COMMIT);
    assertThat(seenByLocal.get()).as("id given to the local transaction").isEqualTo(m.id());
    r.awaitIds(List.of(m.id()), DELIVERY);
    assertThat(r.of(m.id()).get(0).body()).isEqualTo("paid");
  }

  @Test
  @DisplayName("[TX-2] optional (TRANSACTIONS): a rolled back transaction is never delivered, and its checker is not asked")
  void aRolledBackTransactionIsNeverDelivered() {
    Message m = Message.builder(topic).body("cancelled").build();
    // A checker that would wrongly commit: if the engine ever asks it, the message is delivered.
    TransactionState state = producer(client(), h -> TransactionState.COMMIT)
        .sendInTransaction(m, half -> TransactionState.ROLLBACK);
    assertThat(state).isEqualTo(TransactionState.ROLLBACK);
    Message marker = send(client(), Message.builder(topic).body("marker").build());
    r.awaitIds(List.of(marker.id()), DELIVERY);
    r.assertNoMoreFor(neverWindow());
    assertThat(r.of(m.id())).as("deliveries of the rolled back message").isEmpty();
    assertThat(asked).as("check-backs").doesNotContain(m.id());
  }

  @Test
  @DisplayName("[TX-3] optional (TRANSACTIONS): an UNKNOWN outcome is resolved by the checker: COMMIT delivers")
  void anUnknownOutcomeIsCommittedByTheChecker() {
    Message m = Message.builder(topic).body("maybe").build();
    AtomicLong answeredAt = new AtomicLong();
    TransactionalProducer p = producer(client(), half -> {
      answeredAt.compareAndSet(0, System.nanoTime());
      return TransactionState.COMMIT;
    });
    assertThat(p.sendInTransaction(m, half -> TransactionState.UNKNOWN)).isEqualTo(TransactionState.UNKNOWN);
    r.awaitIds(List.of(m.id()), checked());
    assertThat(asked).as("check-backs").contains(m.id());
    assertThat(r.of(m.id()).get(0).nanoTime()).as("delivered after the checker answered").isGreaterThan(answeredAt.get());
  }

  @Test
  @DisplayName("[TX-4] optional (TRANSACTIONS): an UNKNOWN outcome is resolved by the checker: ROLLBACK never delivers")
  void anUnknownOutcomeIsRolledBackByTheChecker() {
    Message m = Message.builder(topic).body("maybe-not").build();
    TransactionalProducer p = producer(client(), half -> TransactionState.ROLLBACK);
    assertThat(p.sendInTransaction(m, half -> TransactionState.UNKNOWN)).isEqualTo(TransactionState.UNKNOWN);
    t().await("check-back of " + m.id(), checked()).untilAsserted(() -> assertThat(asked).contains(m.id()));
    r.assertNoMoreFor(Duration.ofSeconds(2));
    assertThat(r.of(m.id())).as("deliveries of the message the checker rolled back").isEmpty();
  }

  @Test
  @DisplayName("[TX-5] optional (TRANSACTIONS): a local transaction that throws counts as UNKNOWN and the checker decides")
  void aThrowingLocalTransactionIsDecidedByTheChecker() {
    Message m = Message.builder(topic).body("crashed").build();
    TransactionalProducer p = producer(client(), half -> TransactionState.COMMIT);
    TransactionState state = p.sendInTransaction(m, half -> {
      throw new IllegalStateException("tck: local transaction crashed");
    });
    assertThat(state).isEqualTo(TransactionState.UNKNOWN);
    r.awaitIds(List.of(m.id()), checked());
    assertThat(asked).contains(m.id());
  }

  @Test
  @DisplayName("[TX-6] optional (TRANSACTIONS): a half message left by a closed producer is resolved by another producer of the group")
  void anOrphanedHalfMessageIsResolvedByAnotherProducer() {
    Message m = Message.builder(topic).body("orphan").build();
    MqClient first = newClient();
    TransactionalProducer dying = first.transactionalProducer(producerGroup, half -> TransactionState.UNKNOWN);
    assertThat(dying.sendInTransaction(m, half -> TransactionState.UNKNOWN)).isEqualTo(TransactionState.UNKNOWN);
    first.close(Duration.ofSeconds(5));
    producer(newClient(), half -> half.id().equals(m.id()) ? TransactionState.COMMIT : TransactionState.UNKNOWN);
    r.awaitIds(List.of(m.id()), checked());
    assertThat(asked).as("check-backs answered by the second producer").contains(m.id());
    assertThat(r.of(m.id()).get(0).body()).isEqualTo("orphan");
  }

  @Test
  @DisplayName("[TX-7] optional (TRANSACTIONS): a half message is invisible while its local transaction runs")
  void aHalfMessageIsInvisibleUntilCommitted() {
    Message m = Message.builder(topic).body("pending").build();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch finish = gate();
    TransactionalProducer p = producer(client(), half -> TransactionState.UNKNOWN);
    Future<TransactionState> state = inBackground(() -> p.sendInTransaction(m, half -> {
      running.countDown();
      pass(finish);
      return TransactionState.COMMIT;
    }));
    t().await("local transaction started", DELIVERY).until(() -> running.getCount() == 0);
    r.assertNoMoreFor(QUIET);
    assertThat(r.of(m.id())).as("deliveries while the local transaction runs").isEmpty();
    finish.countDown();
    assertThat(join(state, DELIVERY)).isEqualTo(TransactionState.COMMIT);
    r.awaitIds(List.of(m.id()), DELIVERY);
  }

  @Test
  @DisplayName("[TX-8] optional (TRANSACTIONS): a checker answering UNKNOWN is asked again later")
  void aCheckerAnsweringUnknownIsAskedAgain() {
    Message m = Message.builder(topic).body("undecided").build();
    AtomicInteger checks = new AtomicInteger();
    TransactionalProducer p = producer(client(),
        half -> checks.incrementAndGet() == 1 ? TransactionState.UNKNOWN : TransactionState.COMMIT);
    assertThat(p.sendInTransaction(m, half -> TransactionState.UNKNOWN)).isEqualTo(TransactionState.UNKNOWN);
    r.awaitIds(List.of(m.id()), transactionCheckTimeout().multipliedBy(2).plus(DELIVERY));
    assertThat(checks.get()).as("check-backs").isGreaterThanOrEqualTo(2);
  }
}
