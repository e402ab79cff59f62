package io.unimq.kafka.internal;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.common.TopicPartition;

/**
 * The commit rule for one assigned partition: the offset to commit is the first one fetched and not
 * yet settled, so a slow or failed message is never skipped by a later commit, while its neighbours
 * are handled and settled freely. Handler threads report through {@link #settle} and
 * {@link #release} (a lock-free queue); everything else runs on the fetch thread only. Once the
 * partition is revoked, reports are ignored: the new owner gets the unsettled messages again.
 *
 * <p>The fetched offsets (increasing, possibly with gaps) sit in a ring from the oldest unsettled one
 * on, with a settled flag each: no allocation per record, and a report finds its slot by binary search.
 */
final class PartitionTracker {
  final TopicPartition partition;
  private final ConcurrentLinkedQueue<Long> reports = new ConcurrentLinkedQueue<>();
  /** Ring of fetched offsets from the oldest unsettled one; capacity a power of two, grows when full. */
  private long[] offsets = new long[64];
  private boolean[] settled = new boolean[64];
  private int head;
  private int size;
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
    if (size == offsets.length) {
      grow();
    }
    int i = (head + size) & (offsets.length - 1);
    offsets[i] = offset;
    settled[i] = false;
    size++;
    next = offset + 1;
  }

  private void grow() {
    int n = offsets.length;
    long[] o = new long[n * 2];
    boolean[] s = new boolean[n * 2];
    for (int k = 0; k < size; k++) {
      o[k] = offsets[(head + k) & (n - 1)];
      s[k] = settled[(head + k) & (n - 1)];
    }
    offsets = o;
    settled = s;
    head = 0;
  }

  /** Marks {@code offset} settled if it is in the ring (a report for an offset already passed is ignored). */
  private void mark(long offset) {
    int mask = offsets.length - 1;
    int lo = 0;
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long v = offsets[(head + mid) & mask];
      if (v < offset) {
        lo = mid + 1;
      } else if (v > offset) {
        hi = mid - 1;
      } else {
        settled[(head + mid) & mask] = true;
        return;
      }
    }
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

  /** Any thread: the partition went to another member. */
  boolean revoked() {
    return revoked;
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
        mark(r);
      } else {
        truncate(-r - 1);
      }
    }
    int mask = offsets.length - 1;
    while (size > 0 && settled[head]) {
      head = (head + 1) & mask;
      size--;
    }
    return Math.min(limit, size == 0 ? next : offsets[head]);
  }

  void committed(long offset) {
    committed = Math.max(committed, offset);
  }

  /** Fetch thread: nothing below the limit is still in a handler. */
  boolean drained() {
    settledPrefix();
    int mask = offsets.length - 1;
    for (int k = 0; k < size; k++) {
      int i = (head + k) & mask;
      if (offsets[i] >= limit) {
        return true;
      }
      if (!settled[i]) {
        return false;
      }
    }
    return true;
  }

  /** Fetched offsets not yet passed by the settled prefix (tests). */
  long[] window() {
    long[] out = new long[size];
    for (int k = 0; k < size; k++) {
      out[k] = offsets[(head + k) & (offsets.length - 1)];
    }
    return out;
  }

  @Override
  public String toString() {
    return partition + " window " + Arrays.toString(window()) + " limit " + limit + " committed " + committed;
  }
}
