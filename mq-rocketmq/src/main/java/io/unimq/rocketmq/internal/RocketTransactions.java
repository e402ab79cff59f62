package io.unimq.rocketmq.internal;

import io.unimq.api.Message;
import io.unimq.api.MqClosedException;
import io.unimq.api.TransactionChecker;
import io.unimq.api.TransactionState;
import io.unimq.spi.TransactionSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.client.apis.producer.Transaction;
import org.apache.rocketmq.client.apis.producer.TransactionResolution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Native half messages. The proxy uses the topic as the producer group: the broker checks a half of
 * {@code T_TX} back with any online producer that declared {@code T_TX}. So each registered unimq
 * producer group gets a producer declaring every transactional topic the group has used, recorded
 * durably in the name server's KV store (so a producer started later, in any process, is asked about
 * halves left by a closed one), refreshed every {@value #REFRESH_SECONDS} s. A check reaching a
 * producer of another unimq group on the same topic answers UNKNOWN and the broker asks again
 * (every {@code transactionCheckInterval}, at most {@code transactionCheckMax} times). Thread-safe.
 */
final class RocketTransactions implements TransactionSupport, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RocketTransactions.class);
  static final int REFRESH_SECONDS = 2;
  private final ClientServiceProvider provider;
  private final ClientConfiguration config;
  private final RocketTopology admin;
  private final Map<String, List<Registration>> registrations = new ConcurrentHashMap<>();
  private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "unimq-rocketmq-tx-refresh");
    t.setDaemon(true);
    return t;
  });

  RocketTransactions(ClientServiceProvider provider, ClientConfiguration config, RocketTopology admin) {
    this.provider = provider;
    this.config = config;
    this.admin = admin;
    refresher.scheduleWithFixedDelay(this::refreshAll, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public AutoCloseable register(String producerGroup, TransactionChecker checker) {
    Registration r = new Registration(producerGroup, checker);
    Set<String> known = admin.transactionalTopics(producerGroup);
    log.debug("producer group '{}' declares the transactional topics {}", producerGroup, known);
    r.ensureTopics(known);
    registrations.computeIfAbsent(producerGroup, g -> new CopyOnWriteArrayList<>()).add(r);
    return () -> {
      registrations.getOrDefault(producerGroup, List.of()).remove(r);
      r.close();
    };
  }

  @Override
  public Half prepare(String producerGroup, Message message) {
    List<Registration> rs = registrations.getOrDefault(producerGroup, List.of());
    if (rs.isEmpty()) {
      throw new MqClosedException("no transactional producer of group '" + producerGroup + "' is open");
    }
    Registration r = rs.get(rs.size() - 1);
    admin.declareTopic(message.topic());
    String txTopic = PhysicalTopic.TX.of(message.topic());
    if (!r.hasTopic(txTopic)) {
      admin.recordTransactionalTopic(producerGroup, txTopic);
      r.ensureTopics(Set.of(txTopic));
    }
    Producer p = r.newest();
    try {
      Transaction tx = p.beginTransaction();
      p.send(RocketCodec.encode(provider, message, txTopic, PhysicalTopic.TAG)
          .addProperty(RocketCodec.TX_GROUP, producerGroup).build(), tx);
      return new Half() {
        @Override
        public void commit() {
          end(tx, true, message);
        }

        @Override
        public void rollback() {
          end(tx, false, message);
        }
      };
    } catch (Exception e) {
      throw RocketErrors.translate(e, "could not send half message " + message.id() + " to " + txTopic);
    }
  }

  private static void end(Transaction tx, boolean commit, Message m) {
    try {
      if (commit) {
        tx.commit();
      } else {
        tx.rollback();
      }
    } catch (Exception e) {
      throw RocketErrors.translate(e, "could not " + (commit ? "commit" : "roll back") + " half message " + m.id()
          + "; the broker will check it back");
    }
  }

  private void refreshAll() {
    registrations.forEach((group, rs) -> {
      if (!rs.isEmpty()) {
        Set<String> topics = admin.transactionalTopics(group);
        rs.forEach(r -> r.ensureTopics(topics));
      }
    });
  }

  /** One registered checker: producers declaring the group's transactional topics (the newest declares all). */
  private final class Registration {
    final String group;
    final TransactionChecker checker;
    final List<Producer> producers = new CopyOnWriteArrayList<>();
    final Set<String> topics = new TreeSet<>();
    volatile boolean closed;

    Registration(String group, TransactionChecker checker) {
      this.group = group;
      this.checker = checker;
    }

    synchronized boolean hasTopic(String topic) {
      return topics.contains(topic);
    }

    /**
     * Declares {@code more} topics with a new producer (the client fixes a producer's topics at
     * start); older producers stay open for the transactions they began.
     */
    synchronized void ensureTopics(Set<String> more) {
      if (closed || (topics.containsAll(more) && !producers.isEmpty())) {
        return;
      }
      topics.addAll(more);
      try {
        producers.add(provider.newProducerBuilder().setClientConfiguration(config)
            .setTopics(topics.toArray(new String[0])).setTransactionChecker(this::check).build());
      } catch (Exception e) {
        throw RocketErrors.translate(e, "cannot start the transactional producer of group '" + group + "'");
      }
    }

    synchronized Producer newest() {
      return producers.get(producers.size() - 1);
    }

    private TransactionResolution check(MessageView view) {
      String owner = view.getProperties().get(RocketCodec.TX_GROUP);
      if (closed || (owner != null && !owner.equals(group))) {
        return TransactionResolution.UNKNOWN;
      }
      String physical = view.getTopic();
      String topic = physical.substring(0, physical.length() - PhysicalTopic.TX.of("").length());
      try {
        Message half = RocketCodec.decode(topic, view.getProperties(), view.getBody(), view.getMessageId().toString());
        TransactionState state = checker.check(half);
        if (state == TransactionState.COMMIT) {
          return TransactionResolution.COMMIT;
        }
        return state == TransactionState.ROLLBACK ? TransactionResolution.ROLLBACK : TransactionResolution.UNKNOWN;
      } catch (Exception e) {
        log.warn("transaction checker of group '{}' threw; the broker will ask again: {}", group, e.toString());
        return TransactionResolution.UNKNOWN;
      }
    }

    synchronized void close() {
      closed = true;
      List<Producer> all = new ArrayList<>(producers);
      producers.clear();
      for (Producer p : all) {
        try {
          p.close();
        } catch (Exception e) {
          log.debug("closing a transactional producer failed: {}", e.toString());
        }
      }
    }
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    registrations.values().forEach(rs -> rs.forEach(Registration::close));
    registrations.clear();
  }
}
