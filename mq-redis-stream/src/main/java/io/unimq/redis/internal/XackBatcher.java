package io.unimq.redis.internal;

import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.lettuce.core.RedisCommandExecutionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledges entries of one consumer group asynchronously, in batches: {@link #add} queues an
 * entry and returns at once; at most one round of {@code XACK key group id1 id2 …} (one command per
 * stream) is in flight, and the next round takes everything queued meanwhile (group commit), so
 * the batch grows with the load without a timer. An XACK that gets no answer (timeout, lost
 * connection, a paused server) is sent again a second later, until it is answered or the consumer
 * is discarded: its entries stay in flight meanwhile (refreshed, so not reclaimed), and the
 * consumer reads no more than its prefetch allows. An XACK the server rejects (the group is gone)
 * is only logged. Thread-safe.
 */
final class XackBatcher {
  private static final Logger log = LoggerFactory.getLogger(XackBatcher.class);
  /** Most ids taken into one round (all streams together). */
  private static final int MAX_ROUND = 2048;
  /** Pause before an unanswered XACK is sent again. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private final RedisAsyncCommands<String, byte[]> redis;
  private final String group;
  private final BiConsumer<String, String> done;
  private final ConcurrentLinkedQueue<String[]> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushing = new AtomicBoolean();
  private volatile CompletableFuture<Void> round = CompletableFuture.completedFuture(null);
  /** XACKs waiting out {@link #RETRY_AFTER} before they are queued again. */
  private final AtomicInteger retrying = new AtomicInteger();
  private volatile CompletableFuture<Void> retry = CompletableFuture.completedFuture(null);
  private volatile boolean discarded;

  /** {@code done} is called with (stream, entry id) once the XACK of that entry completed, whatever its outcome. */
  XackBatcher(RedisAsyncCommands<String, byte[]> redis, String group, BiConsumer<String, String> done) {
    this.redis = redis;
    this.group = group;
    this.done = done;
  }

  void add(String stream, String entryId) {
    queue.add(new String[] {stream, entryId});
    flush();
  }

  /** Starts a round unless one is in flight (that one starts the next when it completes). */
  private void flush() {
    while (!queue.isEmpty() && flushing.compareAndSet(false, true)) {
      Map<String, List<String>> byStream = new LinkedHashMap<>();
      String[] e;
      for (int n = 0; n < MAX_ROUND && (e = queue.poll()) != null; n++) {
        byStream.computeIfAbsent(e[0], s -> new ArrayList<>()).add(e[1]);
      }
      if (byStream.isEmpty()) {
        flushing.set(false);
        continue;
      }
      List<CompletableFuture<?>> acks = new ArrayList<>(byStream.size());
      byStream.forEach((stream, ids) -> acks.add(xack(stream, ids)));
      CompletableFuture<Void> r = CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0]));
      round = r;
      r.whenComplete((v, error) -> {
        flushing.set(false);
        flush();
      });
      return;
    }
  }

  private CompletableFuture<?> xack(String stream, List<String> ids) {
    CompletableFuture<Long> f;
    try {
      f = redis.xack(stream, group, ids.toArray(new String[0])).toCompletableFuture();
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    return f.handle((n, error) -> {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (cause != null && !(cause instanceof RedisCommandExecutionException) && !discarded) {
        log.warn("XACK of {} entries of {} for group {} got no answer; sending it again in {} ms: {}", ids.size(), stream,
            group, RETRY_AFTER.toMillis(), cause.toString());
        retrying.incrementAndGet();
        retry = CompletableFuture.runAsync(() -> {
          if (!discarded) {
            ids.forEach(id -> queue.add(new String[] {stream, id}));
          }
          retrying.decrementAndGet();
          flush();
        }, CompletableFuture.delayedExecutor(RETRY_AFTER.toMillis(), TimeUnit.MILLISECONDS));
        return null;
      }
      if (cause != null) {
        log.warn("XACK of {} entries of {} for group {} failed; they are redelivered after the lease: {}", ids.size(),
            stream, group, cause.toString());
      }
      ids.forEach(id -> done.accept(stream, id));
      return null;
    });
  }

  /** Waits up to {@code timeout} for the XACK round in flight, if any, to complete. */
  void awaitRound(Duration timeout) throws InterruptedException {
    try {
      round.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      // the caller looks again
    }
  }

  /** Waits until every entry queued so far has been acknowledged (or failed), at most {@code timeout}. */
  boolean drain(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!queue.isEmpty() || flushing.get() || retrying.get() > 0) {
      flush();
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        (flushing.get() || retrying.get() == 0 ? round : retry).get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return false;
      } catch (java.util.concurrent.ExecutionException e) {
        // logged per stream; loop to see whether more is queued
      }
    }
    return true;
  }

  /** Forgets what is queued (a crashed process). */
  void discard() {
    discarded = true;
    queue.clear();
  }
}
