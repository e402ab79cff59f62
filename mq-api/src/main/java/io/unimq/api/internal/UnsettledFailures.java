package io.unimq.api.internal;

import io.unimq.api.Message;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed deliveries of one subscription whose retry or dead letter could not be carried out (the
 * broker's connection was lost, for instance): the message was released, and when the broker
 * delivers it again the engine carries out the same settlement instead of running the handler
 * again, so a retried message is handled as often as its policy says, not once more per failed
 * settlement. Keyed by message id; holds at most {@code capacity} entries (least recently used
 * evicted) for at most {@code ttl}; lives in this process only (a redelivery to another process runs
 * the handler again). Thread-safe.
 */
final class UnsettledFailures {
  /** A retry ({@code deadLetter} false) of {@code next} after {@code delay}, or a dead letter of {@code next}. */
  record Pending(boolean deadLetter, Message next, Duration delay, long atNanos) {}

  private final Map<String, Pending> pending;
  private final long ttlNanos;

  UnsettledFailures(int capacity, Duration ttl) {
    this.ttlNanos = ttl.toNanos();
    this.pending = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Pending> eldest) {
        return size() > capacity;
      }
    };
  }

  void remember(String id, boolean deadLetter, Message next, Duration delay) {
    synchronized (pending) {
      pending.put(id, new Pending(deadLetter, next, delay, System.nanoTime()));
    }
  }

  /** The settlement left for message {@code id}, removed; null when there is none (or it expired). */
  Pending take(String id) {
    Pending p;
    synchronized (pending) {
      if (pending.isEmpty()) {
        return null;
      }
      p = pending.remove(id);
    }
    return p == null || System.nanoTime() - p.atNanos() > ttlNanos ? null : p;
  }
}
