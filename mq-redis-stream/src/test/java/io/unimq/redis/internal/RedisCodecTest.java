package io.unimq.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.Message;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The stream entry format on its own (no broker): every field survives, a cut entry is refused. */
class RedisCodecTest {
  @Test
  void everyFieldSurvivesTheRoundTrip() {
    Message m = Message.builder("orders").key("kunde-ä€😀").header("h1", "wert-ß").header("h2", "")
        .deliverAt(Instant.ofEpochMilli(1_800_000_000_123L)).body("Grüße 😀".getBytes(StandardCharsets.UTF_8)).build();
    Message back = RedisCodec.decode(RedisCodec.encode(m));
    assertThat(back).isEqualTo(m);
    assertThat(back.id()).isEqualTo(m.id());
  }

  @Test
  void aMessageWithoutKeyHeadersOrDelayRoundTrips() {
    Message m = Message.builder("t").body(new byte[0]).build();
    assertThat(RedisCodec.decode(RedisCodec.encode(m))).isEqualTo(m);
  }

  @Test
  void aTruncatedEntryIsRefusedAsCorrupt() {
    byte[] blob = RedisCodec.encode(Message.builder("t").body(new byte[100]).build());
    assertThatThrownBy(() -> RedisCodec.decode(Arrays.copyOf(blob, blob.length - 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("corrupt");
  }

  @Test
  void anEntryOfAnotherVersionIsRefusedNamingIt() {
    byte[] blob = RedisCodec.encode(Message.builder("t").body("x").build());
    blob[0] = 1;
    assertThatThrownBy(() -> RedisCodec.decode(blob)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 1");
  }

  @Test
  void idsThatAreNotUnimqsOwnUuidsKeepTheirExactText() {
    for (String id : new String[] {"order-42", "0190A1B2-C3D4-7E5F-8A6B-7C8D9E0F1A2B", "", "ü-ß-😀", "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2"}) {
      Message m = Message.builder("t").id(id).body("x").build();
      assertThat(RedisCodec.decode(RedisCodec.encode(m)).id()).isEqualTo(id);
    }
  }

  @Test
  void aUnimqIdTravelsAs16Bytes() {
    Message m = Message.builder("orders").body(new byte[100]).build();
    assertThat(m.hasUuidId()).isTrue();
    byte[] blob = RedisCodec.encode(m);
    assertThat(RedisCodec.decode(blob).id()).isEqualTo(m.id());
    // version, flags, 16-byte id, topic (1 + 6), no headers (1), body (1 + 100)
    assertThat(blob).hasSize(2 + 16 + 7 + 1 + 101);
  }

  @Test
  void trailingBytesAreRefusedAsCorrupt() {
    byte[] blob = RedisCodec.encode(Message.builder("t").body(new byte[10]).build());
    assertThatThrownBy(() -> RedisCodec.decode(Arrays.copyOf(blob, blob.length + 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("corrupt");
  }

  @Test
  void anEntryOfTheTopicsOwnStreamsLeavesTheTopicOutAndTheReaderSuppliesIt() {
    Message m = Message.builder("orders-eu").key("k").header("h", "v").body("x").build();
    byte[] own = RedisCodec.encodeForTopicStream(m);
    assertThat(RedisCodec.encode(m).length - own.length).isEqualTo(1 + "orders-eu".length());
    assertThat(RedisCodec.decode(own, "orders-eu")).isEqualTo(m);
    assertThat(RedisCodec.decode(RedisCodec.encode(m), "ignored")).as("a full entry keeps its own topic").isEqualTo(m);
    assertThatThrownBy(() -> RedisCodec.decode(own)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without its topic");
  }

  @Test
  void namedFieldsRoundTripAndReadAsPlainText() {
    Message m = Message.builder("orders").key("kunde-ä").header("h1", "wert-ß").header("h2", "")
        .deliverAt(Instant.ofEpochMilli(1_800_000_000_123L)).body("Grüße".getBytes(StandardCharsets.UTF_8)).build();
    java.util.Map<String, byte[]> fields = RedisCodec.fields(m);
    assertThat(fields.keySet()).containsExactly("id", "key", "due", "h.h1", "h.h2", "body");
    assertThat(new String(fields.get("id"), StandardCharsets.UTF_8)).isEqualTo(m.id());
    assertThat(new String(fields.get("h.h1"), StandardCharsets.UTF_8)).isEqualTo("wert-ß");
    assertThat(RedisCodec.decode("orders", "s", "1-0", fields)).isEqualTo(m);
  }

  @Test
  void aNativeEntryIsReadWithItsBodyKeyAndOtherFieldsAsHeadersAndAnIdFromItsPosition() {
    java.util.Map<String, byte[]> fields = new java.util.LinkedHashMap<>();
    fields.put("key", "k-1".getBytes(StandardCharsets.UTF_8));
    fields.put("city", "Köln".getBytes(StandardCharsets.UTF_8));
    fields.put("h.trace", "t1".getBytes(StandardCharsets.UTF_8));
    fields.put("body", "payload".getBytes(StandardCharsets.UTF_8));
    Message m = RedisCodec.decode("orders", "unimq:{orders}:p:1", "17-3", fields);
    assertThat(m.id()).isEqualTo("unimq:{orders}:p:1/17-3");
    assertThat(m.key()).isEqualTo("k-1");
    assertThat(m.headers()).containsExactly(java.util.Map.entry("city", "Köln"), java.util.Map.entry("trace", "t1"));
    assertThat(new String(m.body(), StandardCharsets.UTF_8)).isEqualTo("payload");
    Message noBody = RedisCodec.decode("orders", "s", "1-1", java.util.Map.of("temp", "21".getBytes(StandardCharsets.UTF_8)));
    assertThat(noBody.body()).isEmpty();
    assertThat(noBody.headers()).containsExactly(java.util.Map.entry("temp", "21"));
  }

  @Test
  void anUnreadableEnvelopeIsDeliveredAsItsBytesNamingWhy() {
    byte[] junk = {9, 9, 9};
    Message m = RedisCodec.decode("t", "s", "5-0", java.util.Map.of("m", junk));
    assertThat(m.body()).isEqualTo(junk);
    assertThat(m.id()).isEqualTo("s/5-0");
    assertThat(m.headers().get(RedisCodec.UNREADABLE)).contains("version 9");
  }

  @Test
  void anEnvelopeOfEarlierVersionsIsStillRead() {
    Message m = Message.builder("orders").key("k").header("h", "v").body("x").build();
    assertThat(RedisCodec.decode("orders", "s", "1-0", java.util.Map.of("m", RedisCodec.encodeForTopicStream(m)))).isEqualTo(m);
  }
}
