package io.unimq.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PayloadTest {
  @Test
  void carriesIntendedTimePhaseAndSequenceAtTheWorkloadSize() {
    byte[] b = Payload.encode(100, 123_456_789_012L, 7, 42);
    assertThat(b).hasSize(100);
    assertThat(Payload.intendedNanos(b)).isEqualTo(123_456_789_012L);
    assertThat(Payload.phase(b)).isEqualTo(7);
    assertThat(Payload.seq(b)).isEqualTo(42);
    assertThat(Payload.encode(4, 1, 1, 1)).hasSize(Payload.HEADER);
    assertThat(Payload.phase(new byte[3])).isEqualTo(-1);
  }
}
