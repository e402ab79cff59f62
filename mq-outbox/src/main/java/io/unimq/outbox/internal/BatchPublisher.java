package io.unimq.outbox.internal;

import io.unimq.api.Producer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one batch of rows: rows of one key one after another (the next only once the previous
 * is confirmed, and none after a failure), keys and unkeyed rows in parallel. Returns the rows the
 * broker confirmed before {@code timeout}. Stateless and thread-safe.
 */
final class BatchPublisher {
  private static final Logger log = LoggerFactory.getLogger(BatchPublisher.class);

  private BatchPublisher() {}

  /** The seqs of the confirmed rows; the others were not sent or not confirmed in time. */
  static Set<Long> publish(Producer producer, List<OutboxRow> rows, Duration timeout) throws InterruptedException {
    Set<Long> confirmed = ConcurrentHashMap.newKeySet();
    AtomicBoolean stopped = new AtomicBoolean();
    AtomicReference<Throwable> firstError = new AtomicReference<>();
    List<CompletableFuture<Void>> chains = new ArrayList<>();
    for (List<OutboxRow> chain : chains(rows)) {
      CompletableFuture<Void> f = CompletableFuture.completedFuture(null);
      for (OutboxRow row : chain) {
        f = f.thenCompose(v -> {
          if (stopped.get()) {
            return CompletableFuture.failedFuture(new TimeoutException("batch timed out"));
          }
          return producer.sendAsync(row.toMessage()).toCompletableFuture().thenAccept(r -> confirmed.add(row.seq()));
        });
      }
      chains.add(f.whenComplete((v, e) -> {
        if (e != null) {
          firstError.compareAndSet(null, e);
        }
      }));
    }
    boolean complete;
    try {
      complete = awaitAll(chains, System.nanoTime() + timeout.toNanos());
    } finally {
      stopped.set(true);
    }
    if (!complete) {
      log.warn("outbox batch: broker confirmations missing after {} ms; unconfirmed rows will be sent again", timeout.toMillis());
    }
    Throwable error = firstError.get();
    if (error != null && log.isDebugEnabled()) {
      log.debug("outbox batch: {} of {} rows confirmed; first failure: {}", confirmed.size(), rows.size(), error.toString());
    }
    return Set.copyOf(confirmed);
  }

  /** Waits for every chain until {@code deadline}; false when time ran out first. */
  private static boolean awaitAll(List<CompletableFuture<Void>> chains, long deadline) throws InterruptedException {
    for (CompletableFuture<Void> f : chains) {
      try {
        f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        // a failed chain: its unconfirmed rows are counted as not sent
      } catch (TimeoutException e) {
        return false;
      }
    }
    return true;
  }

  /** Rows grouped into chains: one per key in sequence order, one per unkeyed row. */
  static List<List<OutboxRow>> chains(List<OutboxRow> rows) {
    Map<String, List<OutboxRow>> byKey = new LinkedHashMap<>();
    List<List<OutboxRow>> out = new ArrayList<>();
    for (OutboxRow r : rows) {
      if (r.key() == null) {
        out.add(List.of(r));
      } else {
        byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
      }
    }
    out.addAll(byKey.values());
    return out;
  }
}
