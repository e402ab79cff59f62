package io.unimq.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.Message;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
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
}
