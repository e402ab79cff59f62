package io.unimq.api.internal;

import io.unimq.spi.UuidIds;
import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique, time-ordered message ids in the UUIDv7 layout: 48 bits of epoch millis, a 12-bit
 * counter that keeps ids from one JVM strictly increasing within a millisecond, then random bits.
 * The lower-case string form sorts by time. Thread-safe and allocation-light.
 */
public final class Ids {
  private static final AtomicLong LAST = new AtomicLong();
  private static final long NODE = new SecureRandom().nextLong();

  private Ids() {}

  /** A new id as text. */
  public static String next() {
    return UuidIds.of(nextMsb(), nextLsb());
  }

  /** The high half of a new id: millis, version 7, counter; strictly increasing within this JVM. */
  public static long nextMsb() {
    long now = System.currentTimeMillis() << 12;
    long stamp;
    while (true) {
      long last = LAST.get();
      stamp = Math.max(now, last + 1);
      if (LAST.compareAndSet(last, stamp)) {
        break;
      }
    }
    long millis = stamp >>> 12;
    long counter = stamp & 0xFFF;
    return (millis << 16) | 0x7000L | counter;
  }

  /** The low half of a new id: the variant and random bits. */
  public static long nextLsb() {
    return (ThreadLocalRandom.current().nextLong() ^ NODE) & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
  }
}
