package io.unimq.bench;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * An open-loop schedule: message {@code i} is due at {@code start + i / rate}, whatever happened to
 * the earlier ones. A sender that fell behind sends at once (catching up) and its latency is still
 * counted from the due time, which is what corrects coordinated omission. Not thread-safe: one
 * sender thread.
 */
final class Pacer {
  private final long startNanos;
  private final double intervalNanos;
  private final LongSupplier clock;
  private long next;

  /** {@code ratePerSecond} messages per second from {@code startNanos}; {@code clock} is {@link System#nanoTime()} outside tests. */
  Pacer(double ratePerSecond, long startNanos, LongSupplier clock) {
    if (!(ratePerSecond > 0)) {
      throw new IllegalArgumentException("rate must be positive, was " + ratePerSecond);
    }
    this.startNanos = startNanos;
    this.intervalNanos = 1e9 / ratePerSecond;
    this.clock = clock;
  }

  static Pacer startingNow(double ratePerSecond) {
    return new Pacer(ratePerSecond, System.nanoTime(), System::nanoTime);
  }

  /** The due time of message {@code i}. */
  long intendedNanos(long i) {
    return startNanos + (long) (i * intervalNanos);
  }

  /** Index of the next message. */
  long nextIndex() {
    return next;
  }

  /** Messages due by {@code nowNanos} and not yet taken. */
  long due(long nowNanos) {
    if (nowNanos < startNanos) {
      return 0;
    }
    long dueCount = (long) ((nowNanos - startNanos) / intervalNanos) + 1;
    return Math.max(0, dueCount - next);
  }

  /**
   * Waits until the next message is due, parking (never spinning long: the machine is shared), then
   * returns its intended send time and advances.
   */
  long awaitNext() {
    long intended = intendedNanos(next);
    long wait;
    while ((wait = intended - clock.getAsLong()) > 0) {
      LockSupport.parkNanos(wait);
    }
    next++;
    return intended;
  }

  /** The next intended time without waiting or advancing. */
  long peek() {
    return intendedNanos(next);
  }
}
