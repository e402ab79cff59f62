package io.unimq.spi;

import io.unimq.api.Message;
import io.unimq.api.internal.MessageAccess;
import java.nio.charset.StandardCharsets;

/**
 * The 16-byte form of message ids that are lower-case canonical UUIDs, as every id unimq generates
 * is: adapters write 16 bytes instead of 36 characters (every byte of a small message costs the
 * broker and the consumer) and turn them back into the same id. Other ids have no 16-byte form
 * and travel as text. A generated id, and one set here from its 16 bytes, is held as its bits and
 * formatted only when {@link Message#id()} is first called: use the {@link Message} forms below so
 * that neither side formats or parses text. Stateless and thread-safe.
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

  /** True when {@code m}'s id has a 16-byte form (a generated id, or a canonical UUID given as text). */
  public static boolean hasBytes(Message m) {
    return MessageAccess.get().hasIdBits(m) || isCanonical(m.id());
  }

  /** The high 64 bits of {@code m}'s id, which must {@linkplain #hasBytes have a 16-byte form}. */
  public static long msb(Message m) {
    MessageAccess.Access a = MessageAccess.get();
    return a.hasIdBits(m) ? a.idMsb(m) : msb(m.id());
  }

  /** The low 64 bits of {@code m}'s id, which must {@linkplain #hasBytes have a 16-byte form}. */
  public static long lsb(Message m) {
    MessageAccess.Access a = MessageAccess.get();
    return a.hasIdBits(m) ? a.idLsb(m) : lsb(m.id());
  }

  /** The 16 bytes of {@code m}'s id, or null when it has no 16-byte form. */
  public static byte[] toBytes(Message m) {
    MessageAccess.Access a = MessageAccess.get();
    if (!a.hasIdBits(m)) {
      return toBytes(m.id());
    }
    byte[] out = new byte[16];
    putLong(out, 0, a.idMsb(m));
    putLong(out, 8, a.idLsb(m));
    return out;
  }

  /** Gives the message being built the id with these 128 bits (as {@link #of}, without formatting it now). */
  public static Message.Builder id(Message.Builder b, long msb, long lsb) {
    return MessageAccess.get().idBits(b, msb, lsb);
  }

  /** Gives the message being built the id whose {@link #toBytes} are {@code bytes[off..off+16)}. */
  public static Message.Builder id(Message.Builder b, byte[] bytes, int off) {
    return id(b, getLong(bytes, off), getLong(bytes, off + 8));
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
