package io.unimq.tck;

import io.unimq.api.Message;
import io.unimq.api.MqClient;
import io.unimq.api.MqException;
import io.unimq.api.SubscriptionOptions;
import io.unimq.api.TransactionState;
import io.unimq.api.TransactionalProducer;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The half messages of a fault run: until the fault ends, a producer of its own sends half messages
 * to a topic of their own, one every {@link #INTERVAL_MILLIS} ms; each local transaction commits, rolls
 * back, or answers unknown so that the checker decides later (during the fault, for most). The local
 * transaction's decision is the run's "business row": the checker answers from it, and a half message
 * whose local transaction never ran counts as rolled back. At the end, every half message whose row
 * says commit must have been delivered to the topic's group, and no other.
 */
final class FaultHalfWorkload {
  private static final Logger log = LoggerFactory.getLogger(MqFaultKit.class);
  static final long INTERVAL_MILLIS = 200;

  private final String topic;
  private final Random random;
  /** Per half message: the decision of its local transaction (absent: it never ran). */
  private final Map<String, TransactionState> rows = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
  private final Map<String, Boolean> sent = new ConcurrentHashMap<>();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger checked = new AtomicInteger();
  private final AtomicInteger leftUnknown = new AtomicInteger();
  private TransactionalProducer producer;
  private Thread thread;

  FaultHalfWorkload(String topic, long seed) {
    this.topic = topic;
    this.random = new Random(seed ^ 0x5eedL);
  }

  /** Subscribes the topic's group (its declaration), through {@code consumer}. */
  void subscribe(MqClient consumer) {
    consumer.subscribe(topic, topic + "-g", SubscriptionOptions.builder().concurrency(2).build(),
        d -> delivered.computeIfAbsent(d.id(), k -> new AtomicInteger()).incrementAndGet());
  }

  /** Starts sending through {@code client} until {@code more} says no more. */
  void start(MqClient client, BooleanSupplier more) {
    producer = client.transactionalProducer(topic + "-pg", half -> {
      checked.incrementAndGet();
      return rows.getOrDefault(half.id(), TransactionState.ROLLBACK);
    });
    thread = new Thread(() -> {
      for (long seq = 0; more.getAsBoolean(); seq++) {
        send(seq);
        try {
          TimeUnit.MILLISECONDS.sleep(INTERVAL_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "unimq-fault-half-producer");
    thread.setDaemon(true);
    thread.start();
  }

  private void send(long seq) {
    Message m = Message.builder(topic).key("h" + (seq % 4)).body("half-" + seq).build();
    double r = random.nextDouble();
    TransactionState decision = random.nextBoolean() ? TransactionState.COMMIT : TransactionState.ROLLBACK;
    boolean unknown = r < 1.0 / 3;
    sent.put(m.id(), true);
    try {
      TransactionState applied = producer.sendInTransaction(m, half -> {
        rows.put(half.id(), decision);
        return unknown ? TransactionState.UNKNOWN : decision;
      });
      if (applied == TransactionState.UNKNOWN) {
        leftUnknown.incrementAndGet();
      }
    } catch (MqException e) {
      failed.incrementAndGet();
      log.debug("fault kit: a half message failed: {}", e.toString());
    }
  }

  /** Stops sending; returns when the sender stopped (or after 30 s). */
  void stop() throws InterruptedException {
    if (thread != null) {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    }
  }

  /** Every half message whose row says commit has been delivered. */
  boolean allArrived() {
    for (Map.Entry<String, TransactionState> e : rows.entrySet()) {
      if (e.getValue() == TransactionState.COMMIT && !delivered.containsKey(e.getKey())) {
        return false;
      }
    }
    return true;
  }

  /** Fills the ledger's half-message figures. */
  void account(FaultLedger ledger) {
    ledger.halfChecked = true;
    ledger.halfSent = sent.size();
    ledger.halfFailed = failed.get();
    ledger.halfCheckedBack = checked.get();
    ledger.halfLeftUnknown = leftUnknown.get();
    for (String id : sent.keySet()) {
      TransactionState row = rows.get(id);
      AtomicInteger n = delivered.get(id);
      if (row == TransactionState.COMMIT) {
        ledger.halfCommitted++;
        if (n == null) {
          ledger.halfLost++;
        }
      } else {
        ledger.halfRolledBack++;
        if (n != null) {
          ledger.halfDeliveredAgainstRollback++;
        }
      }
      if (n != null && n.get() > 1) {
        ledger.halfDeliveredTwice++;
      }
    }
  }

  void close() {
    if (producer != null) {
      try {
        producer.close();
      } catch (RuntimeException e) {
        log.warn("fault kit: closing the half-message producer failed (ignored)", e);
      }
    }
  }
}
