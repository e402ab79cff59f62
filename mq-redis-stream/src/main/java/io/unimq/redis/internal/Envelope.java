package io.unimq.redis.internal;

import io.unimq.api.Message;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * The binary form of a {@link Message} in a stream entry's {@code m} field: version byte, id,
 * topic, key, headers, due time, body (lengths as ints, strings UTF-8). Stateless.
 */
final class Envelope {
  static final String FIELD = "m";
  private static final int VERSION = 1;

  private Envelope() {}

  static byte[] encode(Message m) {
    byte[] id = utf8(m.id());
    byte[] topic = utf8(m.topic());
    byte[] key = utf8(m.key());
    byte[][] headers = new byte[m.headers().size() * 2][];
    int size = 1 + 4 + len(id) + 4 + len(topic) + 4 + len(key) + 4 + 8 + 4 + len(m.body());
    int i = 0;
    for (Map.Entry<String, String> h : m.headers().entrySet()) {
      headers[i] = utf8(h.getKey());
      headers[i + 1] = utf8(h.getValue());
      size += 8 + headers[i].length + headers[i + 1].length;
      i += 2;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put((byte) VERSION);
    put(out, id);
    put(out, topic);
    put(out, key);
    out.putInt(m.headers().size());
    for (byte[] h : headers) {
      put(out, h);
    }
    out.putLong(m.deliverAt() == null ? Long.MIN_VALUE : m.deliverAt().toEpochMilli());
    put(out, m.body());
    return out.array();
  }

  static Message decode(byte[] blob) {
    try {
      ByteBuffer in = ByteBuffer.wrap(blob);
      int version = in.get();
      if (version != VERSION) {
        throw new IllegalArgumentException("unknown unimq envelope version " + version);
      }
      Message.Builder b = Message.builder(null).id(string(in));
      b.topic(string(in)).key(string(in));
      int headers = in.getInt();
      for (int i = 0; i < headers; i++) {
        b.header(string(in), string(in));
      }
      long due = in.getLong();
      b.deliverAt(due == Long.MIN_VALUE ? null : Instant.ofEpochMilli(due));
      int n = in.getInt();
      byte[] body = n < 0 ? null : Arrays.copyOfRange(blob, in.position(), checkedEnd(in, n));
      return b.body(body).build();
    } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("corrupt unimq envelope (" + blob.length + " bytes)", e);
    }
  }

  private static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private static int len(byte[] b) {
    return b == null ? 0 : b.length;
  }

  private static void put(ByteBuffer out, byte[] b) {
    if (b == null) {
      out.putInt(-1);
    } else {
      out.putInt(b.length);
      out.put(b);
    }
  }

  private static int checkedEnd(ByteBuffer in, int n) {
    if (n > in.remaining()) {
      throw new BufferUnderflowException();
    }
    return in.position() + n;
  }

  /** A length-prefixed UTF-8 string decoded in place (no intermediate copy). */
  private static String string(ByteBuffer in) {
    int n = in.getInt();
    if (n < 0) {
      return null;
    }
    int at = in.position();
    in.position(checkedEnd(in, n));
    return new String(in.array(), at, n, StandardCharsets.UTF_8);
  }
}
