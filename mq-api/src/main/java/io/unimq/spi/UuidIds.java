package io.unimq.spi;

import java.nio.charset.StandardCharsets;

/**
 * The 16-byte form of message ids that are lower-case canonical UUIDs, as every id unimq generates
 * is: adapters write 16 bytes instead of 36 characters (every byte of a small message costs the
 * broker and the consumer) and turn them back into the same text. Other ids have no 16-byte form
 * and travel as text. Stateless and thread-safe.
 */
public final class UuidIds {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

  private UuidIds() {}

  /** True for 36 characters of lower-case hex with dashes at 8, 13, 18 and 23 (the only form that round-trips). */
  public static boolean isCanonical(String id) {
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
  public static long msb(String id) {
    return hexLong(id, 0, 8) << 32 | hexLong(id, 9, 4) << 16 | hexLong(id, 14, 4);
  }

  /** The low 64 bits of a {@linkplain #isCanonical canonical} id. */
  public static long lsb(String id) {
    return hexLong(id, 19, 4) << 48 | hexLong(id, 24, 12);
  }

  /** The 16 bytes (big-endian) of {@code id}, or null when it is not {@linkplain #isCanonical canonical}. */
  public static byte[] toBytes(String id) {
    if (!isCanonical(id)) {
      return null;
    }
    byte[] out = new byte[16];
    putLong(out, 0, msb(id));
    putLong(out, 8, lsb(id));
    return out;
  }

  /** The id whose {@link #toBytes} are {@code b[off..off+16)}. */
  public static String fromBytes(byte[] b, int off) {
    return of(getLong(b, off), getLong(b, off + 8));
  }

  /** The canonical text of the id with these 128 bits. */
  public static String of(long msb, long lsb) {
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

  private static void putLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  private static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = v << 8 | (b[off + i] & 0xFF);
    }
    return v;
  }
}
