package io.unimq.api.internal;

import java.nio.charset.StandardCharsets;
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
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

  private Ids() {}

  public static String next() {
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
    long msb = (millis << 16) | 0x7000L | counter;
    long lsb = (ThreadLocalRandom.current().nextLong() ^ NODE) & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
    byte[] out = new byte[36];
    int p = 0;
    p = hex(out, p, msb >>> 32, 8);
    out[p++] = '-';
    p = hex(out, p, msb >>> 16, 4);
    out[p++] = '-';
    p = hex(out, p, msb, 4);
    out[p++] = '-';
    p = hex(out, p, lsb >>> 48, 4);
    out[p++] = '-';
    hex(out, p, lsb, 12);
    return new String(out, StandardCharsets.ISO_8859_1); // Latin-1: no compaction pass
  }

  private static int hex(byte[] out, int pos, long value, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      out[pos + i] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
    return pos + digits;
  }
}
