package io.unimq.redis.internal;

import io.unimq.api.Message;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + (m.body() == null ? 0 : m.body().length));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      writeString(out, m.id());
      writeString(out, m.topic());
      writeString(out, m.key());
      out.writeInt(m.headers().size());
      for (Map.Entry<String, String> h : m.headers().entrySet()) {
        writeString(out, h.getKey());
        writeString(out, h.getValue());
      }
      out.writeLong(m.deliverAt() == null ? Long.MIN_VALUE : m.deliverAt().toEpochMilli());
      writeBytes(out, m.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static Message decode(byte[] blob) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(blob))) {
      int version = in.readByte();
      if (version != VERSION) {
        throw new IllegalArgumentException("unknown unimq envelope version " + version);
      }
      Message.Builder b = Message.builder(null).id(readString(in));
      b.topic(readString(in)).key(readString(in));
      int headers = in.readInt();
      for (int i = 0; i < headers; i++) {
        b.header(readString(in), readString(in));
      }
      long due = in.readLong();
      b.deliverAt(due == Long.MIN_VALUE ? null : Instant.ofEpochMilli(due));
      return b.body(readBytes(in)).build();
    } catch (IOException e) {
      throw new IllegalArgumentException("corrupt unimq envelope", e);
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    writeBytes(out, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    if (b == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(b.length);
      out.write(b);
    }
  }

  private static String readString(DataInputStream in) throws IOException {
    byte[] b = readBytes(in);
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }
}
