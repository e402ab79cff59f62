package io.unimq.api.internal;

import io.unimq.api.Message;
import io.unimq.api.TransactionChecker;
import io.unimq.api.TransactionState;
import io.unimq.spi.HalfMessageStore;
import io.unimq.spi.TransactionSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Half messages for brokers without them: the half is stored durably in the adapter's
 * {@link HalfMessageStore}; commit publishes it and then removes it; rollback removes it. A sweeper
 * per registered producer group claims halves whose check time has passed (left by this process
 * or any other) and applies its checker's answer. A commit may be published twice if a process
 * dies between publish and remove: consumers see the same id and deduplicate. The sweeps run on a
 * thread of their own: a check-back commit waits for its send, whose timeout and retries run on the
 * client's scheduler, so a sweep there would wait for itself. Thread-safe.
 */
final class EmulatedTransactions implements TransactionSupport {
  private static final Logger log = LoggerFactory.getLogger(EmulatedTransactions.class);
  private final HalfMessageStore store;
  private final EngineProducer producer;
  private final ScheduledExecutorService scheduler;
  private final Duration checkInterval;
  private final Map<String, CopyOnWriteArrayList<TransactionChecker>> checkers = new ConcurrentHashMap<>();
  private final Map<String, ScheduledFuture<?>> sweepers = new ConcurrentHashMap<>();

  /** {@code threadName}: the name of the sweeps' thread. */
  EmulatedTransactions(HalfMessageStore store, EngineProducer producer, String threadName, Duration checkInterval) {
    this.store = store;
    this.producer = producer;
    ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    s.setRemoveOnCancelPolicy(true);
    this.scheduler = s;
    this.checkInterval = checkInterval;
  }

  @Override
  public AutoCloseable register(String producerGroup, TransactionChecker checker) {
    checkers.computeIfAbsent(producerGroup, g -> new CopyOnWriteArrayList<>()).add(checker);
    long period = Math.max(100, Math.min(1000, checkInterval.toMillis() / 2));
    sweepers.computeIfAbsent(producerGroup, g -> scheduler.scheduleWithFixedDelay(() -> sweep(g), period, period, TimeUnit.MILLISECONDS));
    return () -> {
      List<TransactionChecker> list = checkers.get(producerGroup);
      list.remove(checker);
      if (list.isEmpty()) {
        ScheduledFuture<?> f = sweepers.remove(producerGroup);
        if (f != null) {
          f.cancel(false);
        }
      }
    };
  }

  @Override
  public Half prepare(String producerGroup, Message message) {
    store.put(producerGroup, message, Instant.now().plus(checkInterval));
    return new Half() {
      @Override
      public void commit() {
        Futures.join(producer.publishPrepared(message), "commit of half message " + message.id());
        store.remove(producerGroup, message.id());
      }

      @Override
      public void rollback() {
        store.remove(producerGroup, message.id());
      }
    };
  }

  private void sweep(String producerGroup) {
    try {
      List<TransactionChecker> list = checkers.get(producerGroup);
      if (list == null || list.isEmpty()) {
        return;
      }
      Instant now = Instant.now();
      for (Message half : store.claimDue(producerGroup, now, now.plus(checkInterval), 100)) {
        TransactionState state;
        try {
          state = list.get(0).check(half);
        } catch (Exception e) {
          log.warn("checker of group '{}' threw for message {}; asking again later: {}", producerGroup, half.id(), e.toString());
          continue;
        }
        if (state == TransactionState.COMMIT) {
          Futures.join(producer.publishPrepared(half), "check-back commit of " + half.id());
          store.remove(producerGroup, half.id());
        } else if (state == TransactionState.ROLLBACK) {
          store.remove(producerGroup, half.id());
        }
        log.debug("check-back of message {} in group '{}': {}", half.id(), producerGroup, state);
      }
    } catch (RuntimeException e) {
      log.warn("check-back sweep of group '{}' failed; retrying: {}", producerGroup, e.toString());
    }
  }

  void close() {
    sweepers.values().forEach(f -> f.cancel(false));
    sweepers.clear();
    scheduler.shutdownNow();
  }
}
