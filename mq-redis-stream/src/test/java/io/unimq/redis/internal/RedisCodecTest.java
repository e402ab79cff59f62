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
}
