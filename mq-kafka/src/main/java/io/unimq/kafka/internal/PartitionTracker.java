package io.unimq.kafka.internal;

import java.util.Arrays;
import org.apache.kafka.common.TopicPartition;

/**
 * The commit rule for one assigned partition: the offset to commit is the first one fetched and not
 * yet settled, so a slow or failed message is never skipped by a later commit, while its neighbours
 * are handled and settled freely. Each fetched record has a {@link Slot}; handler threads settle or
 * release it by writing its state (no queue, no allocation per report), and everything else runs on
 * the thread that holds the consumer. Once the partition is revoked, reports no longer matter: the
 * new owner gets the unsettled messages again.
 *
 * <p>The slots sit in a ring in offset order (increasing, possibly with gaps) from the oldest
 * unsettled one on; the settled prefix is popped when a commit is due.
 */
final class PartitionTracker {
  /** One fetched record's place in the commit order. Its state is written by any thread. */
  static final class Slot {
    private static final int IN_FLIGHT = 0;
    private static final int SETTLED = 1;
    private static final int RELEASED = 2;
    final long offset;
    private volatile int state;

    Slot(long offset) {
      this.offset = offset;
    }

    /** Any thread: done with; the commit may pass it. */
    void settle() {
      if (state == IN_FLIGHT) {
        state = SETTLED;
      }
    }

    /** Any thread: goes back unsettled; nothing at or after it is committed. */
    void unsettle() {
      state = RELEASED;
    }
  }

  final TopicPartition partition;
  /** Ring of slots from the oldest unsettled one; capacity a power of two, grows when full. */
  private Slot[] slots = new Slot[64];
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

  /** Consumer thread: the record at {@code slot.offset} was fetched and is now in flight. */
  Slot fetched(Slot slot) {
    if (size == slots.length) {
      grow();
    }
    slots[(head + size) & (slots.length - 1)] = slot;
    size++;
    next = slot.offset + 1;
    return slot;
  }

  private void grow() {
    int n = slots.length;
    Slot[] s = new Slot[n * 2];
    for (int k = 0; k < size; k++) {
      s[k] = slots[(head + k) & (n - 1)];
    }
    slots = s;
    head = 0;
  }

  void revoke() {
    revoked = true;
  }

  /** Any thread: the partition went to another member. */
  boolean revoked() {
    return revoked;
  }

  /** Consumer thread: the offset to commit, or -1 when it has not moved since the last request. */
  long committable() {
    long c = settledPrefix();
    return c > Math.max(committed, requested) ? c : -1;
  }

  /** Consumer thread: like {@link #committable}, ignoring asynchronous commits not yet confirmed. */
  long unconfirmed() {
    long c = settledPrefix();
    return c > committed ? c : -1;
  }

  /** Consumer thread: an asynchronous commit of {@code offset} is under way. */
  void requested(long offset) {
    requested = Math.max(requested, offset);
  }

  /** Consumer thread: an asynchronous commit failed; the next commit asks again. */
  void commitFailed() {
    requested = committed;
  }

  /** Pops the settled prefix; a released slot at the head caps the commit at its offset for good. */
  private long settledPrefix() {
    int mask = slots.length - 1;
    while (size > 0) {
      Slot s = slots[head];
      int state = s.state;
      if (state == Slot.RELEASED) {
        limit = Math.min(limit, s.offset);
      }
      if (state != Slot.SETTLED) {
        break;
      }
      slots[head] = null;
      head = (head + 1) & mask;
      size--;
    }
    return Math.min(limit, size == 0 ? next : slots[head].offset);
  }

  /**
   * Consumer thread: everything before {@code offset} was handled (by this member, before it lost the
   * partition) and reading resumes there: until more is fetched, {@link #committable} is {@code offset},
   * so the next commit carries it even if nothing more arrives.
   */
  void resumeAt(long offset) {
    if (size == 0) {
      next = Math.max(next, offset);
    }
  }

  void committed(long offset) {
    committed = Math.max(committed, offset);
  }

  /** Consumer thread: nothing below the limit is still in a handler. */
  boolean drained() {
    settledPrefix();
    int mask = slots.length - 1;
    for (int k = 0; k < size; k++) {
      Slot s = slots[(head + k) & mask];
      int state = s.state;
      if (s.offset >= limit || state == Slot.RELEASED) {
        return true;
      }
      if (state != Slot.SETTLED) {
        return false;
      }
    }
    return true;
  }

  /** Fetched offsets not yet passed by the settled prefix (tests). */
  long[] window() {
    long[] out = new long[size];
    for (int k = 0; k < size; k++) {
      out[k] = slots[(head + k) & (slots.length - 1)].offset;
    }
    return out;
  }

  @Override
  public String toString() {
    return partition + " window " + Arrays.toString(window()) + " limit " + limit + " committed " + committed;
  }
}
