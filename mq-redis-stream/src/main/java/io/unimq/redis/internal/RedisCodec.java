package io.unimq.redis.internal;

import io.unimq.api.Message;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link Message} in a stream entry, and back. Stateless.
 *
 * <p>The topic's streams (partitions, retry) hold named fields that {@code redis-cli} and native
 * clients read as they are: {@value #ID} (the id as text), {@value #KEY} (if any), {@value #DUE}
 * (epoch millis, delayed messages only), one {@value #HEADER_PREFIX}{@code <name>} field per
 * header, {@value #BODY} last (left out for a null body). An entry without these, written by a
 * native producer, is read as: {@value #BODY} the body (else empty), {@value #KEY} the key, every
 * other field a header (under its name, or without the {@value #HEADER_PREFIX} prefix), and the id
 * {@code <stream>/<entry id>}, stable across redeliveries. Entries holding the binary envelope
 * {@value #FIELD} (written by earlier versions, and by the dead-letter stream and the half-message
 * store, which only unimq reads) are read as well.
 *
 * <p>Envelope layout: version byte (2), flags byte, id (16 bytes when it is a
 * lower-case canonical UUID, as unimq's own ids are, else a string), topic (left out in the topic's
 * own streams, where the reader knows it), key (if any), header
 * count and headers, due time (if any, 8 bytes), body; lengths and counts as unsigned varints,
 * strings UTF-8. Every byte of an entry is written to the append-only file (and, with
 * {@code appendfsync always}, fsynced) before the server replies, hence the compact form.
 */
final class RedisCodec {
  /** The binary envelope's field (dead letters; entries of earlier versions). */
  static final String FIELD = "m";
  static final String ID = "id";
  static final String KEY = "key";
  static final String DUE = "due";
  static final String TOPIC = "topic";
  static final String BODY = "body";
  static final String HEADER_PREFIX = "h.";
  private static final int VERSION = 2;
  private static final int UUID_ID = 1;
  private static final int HAS_KEY = 2;
  private static final int HAS_DUE = 4;
  private static final int HAS_BODY = 8;
  private static final int NO_TOPIC = 16;

  private RedisCodec() {}

  /** The full message, topic included (dead letters, half-messages: read without context). */
  static byte[] encode(Message m) {
    return encode(m, true);
  }

  /**
   * The envelope without the topic, which the reader knows from the stream
   * ({@link #decode(byte[], String)}): how earlier versions wrote the topic's own streams, which
   * are still read.
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
    out.put((byte) VERSION);
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
      if (version != VERSION) {
        throw new IllegalArgumentException("unknown unimq envelope version " + version);
      }
      Message m = decodeEntry(in, blob, topic);
      if (in.hasRemaining()) {
        throw new IllegalArgumentException("corrupt unimq envelope (" + blob.length + " bytes, " + in.remaining() + " left over)");
      }
      return m;
    } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("corrupt unimq envelope (" + blob.length + " bytes)", e);
    }
  }

  private static Message decodeEntry(ByteBuffer in, byte[] blob, String streamTopic) {
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

  /** The named fields of {@code m} for an XADD to one of its topic's streams, in order. */
  static Map<String, byte[]> fields(Message m) {
    Map<String, byte[]> out = new LinkedHashMap<>(4 + m.headers().size() * 2);
    out.put(ID, utf8(m.id()));
    if (m.key() != null) {
      out.put(KEY, utf8(m.key()));
    }
    if (m.deliverAt() != null) {
      out.put(DUE, utf8(Long.toString(m.deliverAt().toEpochMilli())));
    }
    for (Map.Entry<String, String> h : m.headers().entrySet()) {
      out.put(HEADER_PREFIX + h.getKey(), utf8(h.getValue()));
    }
    if (m.body() != null) {
      out.put(BODY, m.body());
    }
    return out;
  }

  /**
   * The {@link #fields} of {@code m} as one MessagePack array of strings (names and values
   * alternating), what a scheduled entry keeps until a script XADDs it ({@code cmsgpack.unpack}).
   */
  static byte[] packedFields(Message m) {
    Map<String, byte[]> fields = fields(m);
    int size = 5;
    for (Map.Entry<String, byte[]> f : fields.entrySet()) {
      size += 10 + f.getKey().length() * 4 + f.getValue().length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    int n = fields.size() * 2;
    if (n < 16) {
      out.put((byte) (0x90 | n));
    } else {
      out.put((byte) 0xdc).putShort((short) n);
    }
    for (Map.Entry<String, byte[]> f : fields.entrySet()) {
      packString(out, utf8(f.getKey()));
      packString(out, f.getValue());
    }
    return Arrays.copyOf(out.array(), out.position());
  }

  private static void packString(ByteBuffer out, byte[] s) {
    if (s.length < 0x100) {
      out.put((byte) 0xd9).put((byte) s.length);
    } else if (s.length < 0x10000) {
      out.put((byte) 0xda).putShort((short) s.length);
    } else {
      out.put((byte) 0xdb).putInt(s.length);
    }
    out.put(s);
  }

  /**
   * The message of entry {@code entryId} of {@code stream} (one of {@code topic}'s), from its
   * fields: the envelope {@value #FIELD} when it has one, else the named fields (see the class
   * comment). Never fails: a corrupt envelope is delivered as its bytes (see {@link #foreign}).
   */
  static Message decode(String topic, String stream, String entryId, Map<String, byte[]> fields) {
    byte[] blob = fields.get(FIELD);
    if (blob != null) {
      try {
        return decode(blob, topic);
      } catch (RuntimeException e) {
        return foreign(topic, stream, entryId, fields, e.getMessage());
      }
    }
    return named(topic, stream, entryId, fields);
  }

  private static Message named(String topic, String stream, String entryId, Map<String, byte[]> fields) {
    Message.Builder b = Message.builder(topic);
    byte[] id = fields.get(ID);
    b.id(id == null ? stream + "/" + entryId : string(id));
    byte[] body = fields.get(BODY);
    b.body(body == null ? new byte[0] : body);
    for (Map.Entry<String, byte[]> f : fields.entrySet()) {
      String name = f.getKey();
      switch (name) {
        case ID, BODY -> { } // taken above; the body stays bytes
        case KEY -> b.key(string(f.getValue()));
        case DUE -> {
          String value = string(f.getValue());
          Long due = parseLong(value);
          if (due == null) {
            b.header(name, value);
          } else {
            b.deliverAt(Instant.ofEpochMilli(due));
          }
        }
        default -> b.header(name.startsWith(HEADER_PREFIX) ? name.substring(HEADER_PREFIX.length()) : name,
            string(f.getValue()));
      }
    }
    return b.build();
  }

  /**
   * An entry whose envelope cannot be read: its bytes as the body, its other fields as headers,
   * the reason in header {@value #UNREADABLE}; the id from its position.
   */
  private static Message foreign(String topic, String stream, String entryId, Map<String, byte[]> fields, String reason) {
    Message.Builder b = Message.builder(topic).id(stream + "/" + entryId).body(fields.get(FIELD));
    fields.forEach((name, value) -> {
      if (!name.equals(FIELD)) {
        b.header(name, string(value));
      }
    });
    return b.header(UNREADABLE, String.valueOf(reason)).build();
  }

  /** The header naming why an entry's envelope could not be read. */
  static final String UNREADABLE = "unimq-redis-unreadable";

  private static Long parseLong(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String string(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
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
}
