package io.unimq.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledges entries of one consumer group asynchronously, in batches: {@link #add} queues an
 * entry and starts a round of {@code XACK key group id1 id2 …} (one command per stream) unless one
 * is in flight, in which case the next round takes everything queued meanwhile (group commit, so
 * the batch grows with the load without a timer); {@link #flush()} sends what is queued at once.
 *
 * <p>Rounds go on the consumer's own connection, the one its reads use, so an XACK sent before a
 * read is applied by the server before that read: its entries no longer count against the prefetch
 * from the moment it is sent ({@code released} is told {@code +n}, and {@code -n} once it is
 * answered). While that connection waits in a blocking read (see {@link #readerBlocked}), rounds go
 * on the shared connection instead, and their entries count until they are answered.
 *
 * <p>An XACK that gets no answer (timeout, lost connection, a paused server) or a passing cluster
 * error ({@link RedisErrors#passing}) is sent again a second
 * later, until it is answered or the consumer is discarded: its entries stay in flight meanwhile
 * (refreshed, so not reclaimed, and counted against the prefetch). An XACK the server rejects (the
 * group is gone) is only logged. Thread-safe.
 */
final class XackBatcher {
  private static final Logger log = LoggerFactory.getLogger(XackBatcher.class);
  /** Most ids taken into one round (all streams together). */
  private static final int MAX_ROUND = 2048;
  /** Pause before an unanswered XACK is sent again. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private final RedisClusterAsyncCommands<String, byte[]> ordered;
  private final RedisClusterAsyncCommands<String, byte[]> shared;
  private final String group;
  private final BiConsumer<String, String> done;
  private final IntConsumer released;
  private final ConcurrentLinkedQueue<String[]> queue = new ConcurrentLinkedQueue<>();
  /** Rounds sent and not yet answered. */
  private final Set<CompletableFuture<Void>> rounds = ConcurrentHashMap.newKeySet();
  /** XACKs waiting out {@link #RETRY_AFTER} before they are queued again. */
  private final AtomicInteger retrying = new AtomicInteger();
  private volatile CompletableFuture<Void> retry = CompletableFuture.completedFuture(null);
  private volatile boolean readerBlocked;
  /** Held while a round chooses its connection and is written, and while {@link #readerBlocked} changes. */
  private final Object order = new Object();
  private volatile boolean discarded;

  /**
   * {@code ordered} is the consumer's own connection, {@code shared} any other; {@code done} is
   * called with (stream, entry id) once the XACK of that entry completed, whatever its outcome;
   * {@code released} with the change in the number of entries whose XACK is on {@code ordered} and
   * not yet answered.
   */
  XackBatcher(RedisClusterAsyncCommands<String, byte[]> ordered, RedisClusterAsyncCommands<String, byte[]> shared, String group,
      BiConsumer<String, String> done, IntConsumer released) {
    this.ordered = ordered;
    this.shared = shared;
    this.group = group;
    this.done = done;
    this.released = released;
  }

  void add(String stream, String entryId) {
    queue.add(new String[] {stream, entryId});
    if (rounds.isEmpty()) {
      send();
    }
  }

  /** Sends what is queued now, whatever is in flight (the consumer, before it reads). */
  void flush() {
    while (!queue.isEmpty()) {
      send();
    }
  }

  /** The consumer's connection waits in a blocking read (true) or is back (false): rounds meanwhile go on the shared one. */
  void readerBlocked(boolean blocked) {
    synchronized (order) {
      readerBlocked = blocked; // a round choosing the consumer's connection was written before the blocking read
    }
  }

  /** Sends one round of what is queued. */
  private void send() {
    Map<String, List<String>> byStream = new LinkedHashMap<>();
    String[] e;
    int n = 0;
    for (; n < MAX_ROUND && (e = queue.poll()) != null; n++) {
      byStream.computeIfAbsent(e[0], s -> new ArrayList<>()).add(e[1]);
    }
    if (n == 0) {
      return;
    }
    List<CompletableFuture<?>> acks = new ArrayList<>(byStream.size());
    CompletableFuture<Void> r = new CompletableFuture<>();
    rounds.add(r);
    synchronized (order) {
      boolean inOrder = !readerBlocked;
      RedisClusterAsyncCommands<String, byte[]> redis = inOrder ? ordered : shared;
      byStream.forEach((stream, ids) -> acks.add(xack(redis, inOrder, stream, ids)));
      if (inOrder) {
        released.accept(n); // written to the connection: every read sent from now on comes after it
      }
    }
    CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0])).whenComplete((v, error) -> {
      rounds.remove(r);
      r.complete(null);
      if (!queue.isEmpty() && rounds.isEmpty()) {
        send();
      }
    });
  }

  private CompletableFuture<?> xack(RedisClusterAsyncCommands<String, byte[]> redis, boolean inOrder, String stream, List<String> ids) {
    CompletableFuture<Long> f;
    try {
      f = redis.xack(stream, group, ids.toArray(new String[0])).toCompletableFuture();
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    return f.handle((n, error) -> {
      if (inOrder) {
        released.accept(-ids.size()); // before done: the entries count again until they are settled
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (cause != null && (!(cause instanceof RedisCommandExecutionException) || RedisErrors.passing(cause)) && !discarded) {
        log.warn("XACK of {} entries of {} for group {} got no answer; sending it again in {} ms: {}", ids.size(), stream,
            group, RETRY_AFTER.toMillis(), cause.toString());
        retrying.incrementAndGet();
        retry = CompletableFuture.runAsync(() -> {
          if (!discarded) {
            ids.forEach(id -> queue.add(new String[] {stream, id}));
          }
          retrying.decrementAndGet();
          if (rounds.isEmpty()) {
            send();
          }
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

  /** Waits up to {@code timeout} for the XACK rounds in flight, if any, to complete. */
  void awaitRound(Duration timeout) throws InterruptedException {
    CompletableFuture<?>[] inFlight = rounds.toArray(new CompletableFuture<?>[0]);
    try {
      (inFlight.length > 0 ? CompletableFuture.anyOf(inFlight) : retry).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // the caller looks again
    }
  }

  /** Waits until every entry queued so far has been acknowledged (or failed), at most {@code timeout}. */
  boolean drain(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!queue.isEmpty() || !rounds.isEmpty() || retrying.get() > 0) {
      flush();
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        (rounds.isEmpty() && retrying.get() > 0 ? retry : CompletableFuture.allOf(rounds.toArray(new CompletableFuture<?>[0])))
            .get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return false;
      } catch (ExecutionException e) {
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
