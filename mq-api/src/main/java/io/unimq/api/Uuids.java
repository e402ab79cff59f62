package io.unimq.api;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Message ids: generation in the UUIDv7 layout (48 bits of epoch millis, a 12-bit counter that
 * keeps ids from one JVM strictly increasing within a millisecond, then random bits), and the
 * canonical lower-case text form, which sorts by time. Thread-safe and allocation-light.
 */
final class Uuids {
  private static final AtomicLong LAST = new AtomicLong();
  private static final long NODE = new SecureRandom().nextLong();
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

  private Uuids() {}

  /** The high half of a new id: millis, version 7, counter; strictly increasing within this JVM. */
  static long nextMsb() {
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
  static long nextLsb() {
    return (ThreadLocalRandom.current().nextLong() ^ NODE) & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
  }

  /** True for 36 characters of lower-case hex with dashes at 8, 13, 18 and 23 (the only form that round-trips). */
  static boolean isCanonical(String id) {
    if (id == null || id.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = id.charAt(i);
      boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-' : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The high 64 bits of a {@linkplain #isCanonical canonical} id. */
  static long msb(String id) {
    return hexLong(id, 0, 8) << 32 | hexLong(id, 9, 4) << 16 | hexLong(id, 14, 4);
  }

  /** The low 64 bits of a {@linkplain #isCanonical canonical} id. */
  static long lsb(String id) {
    return hexLong(id, 19, 4) << 48 | hexLong(id, 24, 12);
  }

  /** The canonical text of the id with these 128 bits. */
  static String format(long msb, long lsb) {
    byte[] out = new byte[36];
    hex(out, 0, msb >>> 32, 8);
    out[8] = '-';
    hex(out, 9, msb >>> 16, 4);
    out[13] = '-';
    hex(out, 14, msb, 4);
    out[18] = '-';
    hex(out, 19, lsb >>> 48, 4);
    out[23] = '-';
    hex(out, 24, lsb, 12);
    return new String(out, StandardCharsets.ISO_8859_1); // Latin-1: no compaction pass
  }

  private static long hexLong(String s, int from, int digits) {
    long v = 0;
    for (int i = from; i < from + digits; i++) {
      char c = s.charAt(i);
      v = v << 4 | (c <= '9' ? c - '0' : c - 'a' + 10);
    }
    return v;
  }

  private static void hex(byte[] out, int pos, long value, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      out[pos + i] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
  }
}
