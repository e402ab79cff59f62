package io.unimq.kafka.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.common.TopicPartition;

/**
 * The commit rule for one assigned partition: the offset to commit is the first one fetched and not
 * yet settled, so a slow or failed message is never skipped by a later commit, while its neighbours
 * are handled and settled freely. Handler threads report through {@link #settle} and
 * {@link #release} (a lock-free queue); everything else runs on the fetch thread only. Once the
 * partition is revoked, reports are ignored: the new owner gets the unsettled messages again.
 */
final class PartitionTracker {
  final TopicPartition partition;
  private final ConcurrentLinkedQueue<Long> reports = new ConcurrentLinkedQueue<>();
  private final TreeMap<Long, Boolean> outstanding = new TreeMap<>();
  private long next = -1;
  private long limit = Long.MAX_VALUE;
  private long committed = -1;
  private long requested = -1;
  private volatile boolean revoked;

  PartitionTracker(TopicPartition partition) {
    this.partition = partition;
  }

  /** Fetch thread: {@code offset} was fetched and is now in flight. */
  void fetched(long offset) {
    outstanding.put(offset, Boolean.FALSE);
    next = offset + 1;
  }

  /** Any thread: the message at {@code offset} is done with. */
  void settle(long offset) {
    if (!revoked) {
      reports.add(offset);
    }
  }

  /** Any thread: the message at {@code offset} goes back unsettled; nothing at or after it is committed. */
  void release(long offset) {
    if (!revoked) {
      reports.add(-offset - 1);
    }
  }

  /** Fetch thread: like {@link #release}, for a fetched message that never reached a handler. */
  void truncate(long offset) {
    limit = Math.min(limit, offset);
  }

  void revoke() {
    revoked = true;
  }

  /** Fetch thread: applies reports; returns the offset to commit, or -1 when it has not moved since the last request. */
  long committable() {
    long c = settledPrefix();
    return c > Math.max(committed, requested) ? c : -1;
  }

  /** Fetch thread: like {@link #committable}, ignoring asynchronous commits not yet confirmed. */
  long unconfirmed() {
    long c = settledPrefix();
    return c > committed ? c : -1;
  }

  /** Fetch thread: an asynchronous commit of {@code offset} is under way. */
  void requested(long offset) {
    requested = Math.max(requested, offset);
  }

  /** Fetch thread: an asynchronous commit failed; the next commit asks again. */
  void commitFailed() {
    requested = committed;
  }

  private long settledPrefix() {
    Long r;
    while ((r = reports.poll()) != null) {
      if (r >= 0) {
        outstanding.replace(r, Boolean.TRUE);
      } else {
        truncate(-r - 1);
      }
    }
    while (!outstanding.isEmpty() && outstanding.firstEntry().getValue()) {
      outstanding.pollFirstEntry();
    }
    return Math.min(limit, outstanding.isEmpty() ? next : outstanding.firstKey());
  }

  void committed(long offset) {
    committed = Math.max(committed, offset);
  }

  /** Fetch thread: nothing below the limit is still in a handler. */
  boolean drained() {
    settledPrefix();
    for (Map.Entry<Long, Boolean> e : outstanding.entrySet()) {
      if (e.getKey() >= limit) {
        return true;
      }
      if (!e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
