package io.unimq.spi;

import io.unimq.api.Message;

/**
 * Optional helper: the 16-byte form of message ids that are UUIDs ({@link Message#hasUuidId()}),
 * as every id unimq generates is. An adapter may write these 16 bytes instead of 36 characters
 * (every byte of a small message costs the broker and the consumer) and give the message read
 * back the same id with {@link #id(Message.Builder, byte[], int)}; a generated id is then never
 * formatted nor parsed on either side. Adapters that carry ids as text need nothing here.
 * Stateless and thread-safe.
 */
public final class UuidIds {
  private UuidIds() {}

  /** The 16 bytes (big-endian) of {@code m}'s id, or null when it is not a UUID. */
  public static byte[] toBytes(Message m) {
    if (!m.hasUuidId()) {
      return null;
    }
    byte[] out = new byte[16];
    putLong(out, 0, m.idMostSignificantBits());
    putLong(out, 8, m.idLeastSignificantBits());
    return out;
  }

  /** Gives the message being built the id whose {@link #toBytes} are {@code bytes[off..off+16)}. */
  public static Message.Builder id(Message.Builder b, byte[] bytes, int off) {
    return b.id(getLong(bytes, off), getLong(bytes, off + 8));
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
