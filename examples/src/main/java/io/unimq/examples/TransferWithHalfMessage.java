package io.unimq.examples;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.TransactionChecker;
import io.unimq.api.TransactionState;
import io.unimq.api.TransactionalProducer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A money transfer between two services: the account service debits the payer in its database, the
 * credit service credits the payee on a message. Debit and message must go together. A half
 * message does it: stored first but invisible, then the local transaction runs, then its outcome
 * commits (delivered) or rolls back (never delivered). If the outcome is lost (the process crashed
 * after its database commit), the broker asks the {@link TransactionChecker}, which looks at the
 * database: the transfer row is there, so commit.
 */
public final class TransferWithHalfMessage implements Scenario {
  /** The account service's database: balances and one row per completed debit. */
  private static final class AccountDb {
    final Map<String, Long> balances = new ConcurrentHashMap<>(Map.of("alice", 100L));
    final Map<String, String> transfers = new ConcurrentHashMap<>(); // transfer id -> "payer:payee:amount"

    /** One local transaction: check funds, debit, record the transfer. */
    synchronized boolean debit(String transferId, String payer, String payee, long amount) {
      if (balances.getOrDefault(payer, 0L) < amount) {
        return false;
      }
      balances.merge(payer, -amount, Long::sum);
      transfers.put(transferId, payer + ":" + payee + ":" + amount);
      return true;
    }
  }

  public static void main(String[] args) throws Exception {
    Examples.main(new TransferWithHalfMessage(), args);
  }

  @Override
  public boolean run(String uri) throws Exception {
    Examples.title("Money transfer with a half message", uri);
    // On memory:// the check-back comes after 1 s instead of the default 5 s; real brokers keep theirs.
    String connectUri = Examples.isMemory(uri) && !uri.contains("txCheckInterval=")
        ? Examples.withParameter(uri, "txCheckInterval", "1s") : uri;
    String topic = Examples.unique("transfer-debited");
    AccountDb db = new AccountDb();
    Map<String, Long> credited = new ConcurrentHashMap<>(); // the credit service's side
    List<String> delivered = new CopyOnWriteArrayList<>();
    List<String> checked = new CopyOnWriteArrayList<>();
    CountDownLatch twoDelivered = new CountDownLatch(2);

    // The checker answers from the real local state: a recorded debit means commit, none means the
    // debit never committed. (A checker that cannot tell yet answers UNKNOWN and is asked again.)
    TransactionChecker checker = half -> {
      TransactionState state = db.transfers.containsKey(half.key()) ? TransactionState.COMMIT : TransactionState.ROLLBACK;
      checked.add(half.key());
      System.out.println("  checker: asked about " + half.key() + ", debit row " + (state == TransactionState.COMMIT ? "found: COMMIT" : "missing: ROLLBACK"));
      return state;
    };

    try (MqClient client = Mq.connect(connectUri);
         TransactionalProducer producer = client.transactionalProducer("account-service", checker)) {
      client.subscribe(topic, "credit-service", delivery -> {
        String[] t = delivery.bodyAsString().split(":"); // payer:payee:amount
        credited.merge(t[1], Long.parseLong(t[2]), Long::sum);
        delivered.add(delivery.key());
        System.out.println("  credit-service: " + delivery.key() + " credits " + t[2] + " to " + t[1]);
        twoDelivered.countDown();
      });

      // 1. The normal case: debit, commit, delivered.
      System.out.println("transfer-1 alice -> bob 30: " + producer.sendInTransaction(transfer(topic, "transfer-1", "bob", 30),
          half -> db.debit("transfer-1", "alice", "bob", 30) ? TransactionState.COMMIT : TransactionState.ROLLBACK));
      // 2. The debit commits, then the process "crashes" before reporting: UNKNOWN, the checker decides.
      System.out.println("transfer-2 alice -> carol 20: " + producer.sendInTransaction(transfer(topic, "transfer-2", "carol", 20),
          half -> {
            db.debit("transfer-2", "alice", "carol", 20);
            return TransactionState.UNKNOWN;
          }));
      // 3. Not enough money: the local transaction rolls back, and so does the message.
      System.out.println("transfer-3 alice -> dave 500: " + producer.sendInTransaction(transfer(topic, "transfer-3", "dave", 500),
          half -> db.debit("transfer-3", "alice", "dave", 500) ? TransactionState.COMMIT : TransactionState.ROLLBACK));

      boolean ok = Examples.check(Examples.await(twoDelivered) && Examples.await(() -> client.admin().lag(topic, "credit-service") == 0),
          "transfer-1 and transfer-2 were delivered");
      ok &= Examples.check(checked.contains("transfer-2"), "the checker resolved transfer-2 from the debit row");
      ok &= Examples.check(!delivered.contains("transfer-3"), "rolled-back transfer-3 was never delivered");
      ok &= Examples.check(delivered.size() == 2, "each committed transfer was delivered once: " + delivered);
      System.out.println("  balances: account service " + db.balances + ", credit service " + credited);
      long total = db.balances.values().stream().mapToLong(Long::longValue).sum()
          + credited.values().stream().mapToLong(Long::longValue).sum();
      ok &= Examples.check(total == 100, "no money created or lost: 100 in total");
      return ok;
    }
  }

  private static Message transfer(String topic, String id, String payee, long amount) {
    return Message.builder(topic).key(id).body("alice:" + payee + ":" + amount).build();
  }
}
