package io.unimq.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.Message;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stream entry format on its own (no broker): every field survives, a cut entry is refused. */
class EnvelopeTest {
  @Test
  void everyFieldSurvivesTheRoundTrip() {
    Message m = Message.builder("orders").key("kunde-ä€😀").header("h1", "wert-ß").header("h2", "")
        .deliverAt(Instant.ofEpochMilli(1_800_000_000_123L)).body("Grüße 😀".getBytes(StandardCharsets.UTF_8)).build();
    Message back = Envelope.decode(Envelope.encode(m));
    assertThat(back).isEqualTo(m);
    assertThat(back.id()).isEqualTo(m.id());
  }

  @Test
  void aMessageWithoutKeyHeadersOrDelayRoundTrips() {
    Message m = Message.builder("t").body(new byte[0]).build();
    assertThat(Envelope.decode(Envelope.encode(m))).isEqualTo(m);
  }

  @Test
  void aTruncatedEntryIsRefusedAsCorrupt() {
    byte[] blob = Envelope.encode(Message.builder("t").body(new byte[100]).build());
    assertThatThrownBy(() -> Envelope.decode(Arrays.copyOf(blob, blob.length - 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("corrupt");
  }

  @Test
  void entriesWrittenInVersion1AreStillRead() {
    Message m = Message.builder("orders").key("k-1").header("h", "v").deliverAt(Instant.ofEpochMilli(1_800_000_000_123L))
        .body("payload".getBytes(StandardCharsets.UTF_8)).build();
    assertThat(Envelope.decode(encodeV1(m))).isEqualTo(m);
    Message plain = Message.builder("t").body(new byte[0]).build();
    assertThat(Envelope.decode(encodeV1(plain))).isEqualTo(plain);
  }

  @Test
  void idsThatAreNotUnimqsOwnUuidsKeepTheirExactText() {
    for (String id : new String[] {"order-42", "0190A1B2-C3D4-7E5F-8A6B-7C8D9E0F1A2B", "", "ü-ß-😀", "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2"}) {
      Message m = Message.builder("t").id(id).body("x").build();
      assertThat(Envelope.decode(Envelope.encode(m)).id()).isEqualTo(id);
    }
  }

  @Test
  void aUnimqIdTravelsAs16BytesAndTheEntryIsSmallerThanVersion1() {
    Message m = Message.builder("orders").body(new byte[100]).build();
    assertThat(m.hasUuidId()).isTrue();
    byte[] v2 = Envelope.encode(m);
    assertThat(Envelope.decode(v2).id()).isEqualTo(m.id());
    // version, flags, 16-byte id, topic (1 + 6), no headers (1), body (1 + 100)
    assertThat(v2).hasSize(2 + 16 + 7 + 1 + 101);
    assertThat(encodeV1(m).length - v2.length).isEqualTo(44);
  }

  @Test
  void trailingBytesAreRefusedAsCorrupt() {
    byte[] blob = Envelope.encode(Message.builder("t").body(new byte[10]).build());
    assertThatThrownBy(() -> Envelope.decode(Arrays.copyOf(blob, blob.length + 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("corrupt");
  }

  @Test
  void anEntryOfTheTopicsOwnStreamsLeavesTheTopicOutAndTheReaderSuppliesIt() {
    Message m = Message.builder("orders-eu").key("k").header("h", "v").body("x").build();
    byte[] own = Envelope.encodeForTopicStream(m);
    assertThat(Envelope.encode(m).length - own.length).isEqualTo(1 + "orders-eu".length());
    assertThat(Envelope.decode(own, "orders-eu")).isEqualTo(m);
    assertThat(Envelope.decode(Envelope.encode(m), "ignored")).as("a full entry keeps its own topic").isEqualTo(m);
    assertThatThrownBy(() -> Envelope.decode(own)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without its topic");
  }

  /** A message in version 1, as earlier builds wrote it. */
  private static byte[] encodeV1(Message m) {
    byte[] id = bytes(m.id());
    byte[] topic = bytes(m.topic());
    byte[] key = bytes(m.key());
    byte[][] headers = new byte[m.headers().size() * 2][];
    int size = 1 + 4 + n(id) + 4 + n(topic) + 4 + n(key) + 4 + 8 + 4 + n(m.body());
    int i = 0;
    for (Map.Entry<String, String> h : m.headers().entrySet()) {
      headers[i] = bytes(h.getKey());
      headers[i + 1] = bytes(h.getValue());
      size += 8 + headers[i].length + headers[i + 1].length;
      i += 2;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put((byte) 1); // version 1
    putV1(out, id);
    putV1(out, topic);
    putV1(out, key);
    out.putInt(m.headers().size());
    for (byte[] h : headers) {
      putV1(out, h);
    }
    out.putLong(m.deliverAt() == null ? Long.MIN_VALUE : m.deliverAt().toEpochMilli());
    putV1(out, m.body());
    return out.array();
  }

  private static void putV1(ByteBuffer out, byte[] b) {
    if (b == null) {
      out.putInt(-1);
    } else {
      out.putInt(b.length);
      out.put(b);
    }
  }

  private static int n(byte[] b) {
    return b == null ? 0 : b.length;
  }

  private static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }
}
