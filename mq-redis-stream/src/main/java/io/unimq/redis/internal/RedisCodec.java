package io.unimq.redis.internal;

import io.unimq.api.Message;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * The binary form of a {@link Message} in a stream entry's {@code m} field. Stateless.
 *
 * <p>Version 2 (written now): version byte, flags byte, id (16 bytes when it is a
 * lower-case canonical UUID, as unimq's own ids are, else a string), topic (left out in the topic's
 * own streams, where the reader knows it), key (if any), header
 * count and headers, due time (if any, 8 bytes), body; lengths and counts as unsigned varints,
 * strings UTF-8. Every byte of an entry is written to the append-only file (and, with
 * {@code appendfsync always}, fsynced) before the server replies: version 2 is 44 bytes smaller
 * than version 1 for a message without key or headers.
 *
 * <p>Version 1 (earlier builds; still read, so that entries already in a stream survive an
 * upgrade): version byte, id, topic, key, headers, due time, body, lengths as 4-byte ints (-1:
 * absent). Earlier builds cannot read version 2: upgrade every consumer of a topic before its
 * producers.
 */
final class Envelope {
  static final String FIELD = "m";
  private static final int V1 = 1;
  private static final int V2 = 2;
  private static final int UUID_ID = 1;
  private static final int HAS_KEY = 2;
  private static final int HAS_DUE = 4;
  private static final int HAS_BODY = 8;
  private static final int NO_TOPIC = 16;

  private Envelope() {}

  /** The full message, topic included (dead letters, half-messages: read without context). */
  static byte[] encode(Message m) {
    return encode(m, true);
  }

  /**
   * For an entry of the topic's own streams (partitions, delayed, retry): without the topic, which
   * the reader knows from the stream ({@link #decode(byte[], String)}), since every byte is written
   * to the append-only file with the entry and again with each read of it.
   */
  static byte[] encodeForTopicStream(Message m) {
    return encode(m, false);
  }

  private static byte[] encode(Message m, boolean withTopic) {
    boolean uuid = m.hasUuidId();
    byte[] id = uuid ? null : utf8(m.id());
    byte[] topic = withTopic ? utf8(m.topic()) : null;
    byte[] key = utf8(m.key());
    byte[] body = m.body();
    Map<String, String> hs = m.headers();
    byte[][] headers = new byte[hs.size() * 2][];
    int size = 2 + (uuid ? 16 : sized(id)) + (withTopic ? sized(topic) : 0) + (key == null ? 0 : sized(key))
        + varintSize(hs.size()) + (m.deliverAt() == null ? 0 : 8) + (body == null ? 0 : sized(body));
    int i = 0;
    for (Map.Entry<String, String> h : hs.entrySet()) {
      headers[i] = utf8(h.getKey());
      headers[i + 1] = utf8(h.getValue());
      size += sized(headers[i]) + sized(headers[i + 1]);
      i += 2;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put((byte) V2);
    out.put((byte) ((uuid ? UUID_ID : 0) | (key == null ? 0 : HAS_KEY) | (m.deliverAt() == null ? 0 : HAS_DUE)
        | (body == null ? 0 : HAS_BODY) | (withTopic ? 0 : NO_TOPIC)));
    if (uuid) {
      out.putLong(m.idMostSignificantBits());
      out.putLong(m.idLeastSignificantBits());
    } else {
      putBytes(out, id);
    }
    if (withTopic) {
      putBytes(out, topic);
    }
    if (key != null) {
      putBytes(out, key);
    }
    putVarint(out, hs.size());
    for (byte[] h : headers) {
      putBytes(out, h);
    }
    if (m.deliverAt() != null) {
      out.putLong(m.deliverAt().toEpochMilli());
    }
    if (body != null) {
      putBytes(out, body);
    }
    return out.array();
  }

  /** An entry written with its topic (dead letters, half-messages). */
  static Message decode(byte[] blob) {
    return decode(blob, null);
  }

  /** An entry of {@code topic}'s own streams; {@code topic} stands in where the entry omits it. */
  static Message decode(byte[] blob, String topic) {
    try {
      ByteBuffer in = ByteBuffer.wrap(blob);
      int version = in.get();
      Message m = switch (version) {
        case V1 -> decodeV1(in, blob);
        case V2 -> decodeV2(in, blob, topic);
        default -> throw new IllegalArgumentException("unknown unimq envelope version " + version);
      };
      if (in.hasRemaining()) {
        throw new IllegalArgumentException("corrupt unimq envelope (" + blob.length + " bytes, " + in.remaining() + " left over)");
      }
      return m;
    } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("corrupt unimq envelope (" + blob.length + " bytes)", e);
    }
  }

  private static Message decodeV2(ByteBuffer in, byte[] blob, String streamTopic) {
    int flags = in.get();
    long msb = 0;
    long lsb = 0;
    String id = null;
    if ((flags & UUID_ID) != 0) {
      msb = in.getLong();
      lsb = in.getLong();
    } else {
      id = varString(in);
    }
    String topic;
    if ((flags & NO_TOPIC) == 0) {
      topic = varString(in);
    } else if (streamTopic != null) {
      topic = streamTopic;
    } else {
      throw new IllegalArgumentException("unimq envelope without its topic, read outside its topic's streams");
    }
    Message.Builder b = id != null ? Message.builder(topic).id(id) : Message.builder(topic).id(msb, lsb);
    if ((flags & HAS_KEY) != 0) {
      b.key(varString(in));
    }
    int headers = varint(in);
    for (int i = 0; i < headers; i++) {
      b.header(varString(in), varString(in));
    }
    if ((flags & HAS_DUE) != 0) {
      b.deliverAt(Instant.ofEpochMilli(in.getLong()));
    }
    if ((flags & HAS_BODY) != 0) {
      int n = varint(in);
      int at = in.position();
      in.position(checkedEnd(in, n));
      b.body(Arrays.copyOfRange(blob, at, at + n));
    } else {
      b.body((byte[]) null);
    }
    return b.build();
  }

  private static Message decodeV1(ByteBuffer in, byte[] blob) {
    Message.Builder b = Message.builder(null).id(string(in));
    b.topic(string(in)).key(string(in));
    int headers = in.getInt();
    for (int i = 0; i < headers; i++) {
      b.header(string(in), string(in));
    }
    long due = in.getLong();
    b.deliverAt(due == Long.MIN_VALUE ? null : Instant.ofEpochMilli(due));
    int n = in.getInt();
    int at = in.position();
    byte[] body = n < 0 ? null : Arrays.copyOfRange(blob, at, checkedEnd(in, n));
    if (n > 0) {
      in.position(at + n);
    }
    return b.body(body).build();
  }

  private static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private static int len(byte[] b) {
    return b == null ? 0 : b.length;
  }

  /** Size of a length-prefixed byte string (a null string is written as empty; callers flag absence). */
  private static int sized(byte[] b) {
    int n = len(b);
    return varintSize(n) + n;
  }

  private static int varintSize(int v) {
    int n = 1;
    while ((v >>>= 7) != 0) {
      n++;
    }
    return n;
  }

  private static void putVarint(ByteBuffer out, int v) {
    while ((v & ~0x7F) != 0) {
      out.put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.put((byte) v);
  }

  private static int varint(ByteBuffer in) {
    int v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = in.get();
      v |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (v < 0) {
          throw new BufferUnderflowException();
        }
        return v;
      }
    }
    throw new BufferUnderflowException();
  }

  private static void putBytes(ByteBuffer out, byte[] b) {
    int n = len(b);
    putVarint(out, n);
    if (n > 0) {
      out.put(b);
    }
  }

  private static String varString(ByteBuffer in) {
    int n = varint(in);
    int at = in.position();
    in.position(checkedEnd(in, n));
    return new String(in.array(), at, n, StandardCharsets.UTF_8);
  }

  private static int checkedEnd(ByteBuffer in, int n) {
    if (n < 0 || n > in.remaining()) {
      throw new BufferUnderflowException();
    }
    return in.position() + n;
  }

  /** A length-prefixed (v1) UTF-8 string decoded in place (no intermediate copy). */
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
