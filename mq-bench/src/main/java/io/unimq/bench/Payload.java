package io.unimq.bench;

import java.nio.ByteBuffer;

/**
 * The body of a benchmark message: the intended send time ({@link System#nanoTime()} of this JVM,
 * where producer and consumer both run), the phase it belongs to and its sequence number, padded
 * to the workload's size. Stateless.
 */
final class Payload {
  /** Bytes used by the header; a body is never smaller. */
  static final int HEADER = 8 + 4 + 8;

  private Payload() {}

  static byte[] encode(int size, long intendedNanos, int phase, long seq) {
    byte[] b = new byte[Math.max(size, HEADER)];
    ByteBuffer.wrap(b).putLong(intendedNanos).putInt(phase).putLong(seq);
    return b;
  }

  static long intendedNanos(byte[] body) {
    return ByteBuffer.wrap(body).getLong(0);
  }

  static int phase(byte[] body) {
    return body.length < HEADER ? -1 : ByteBuffer.wrap(body).getInt(8);
  }

  static long seq(byte[] body) {
    return ByteBuffer.wrap(body).getLong(12);
  }
}
