package io.unimq.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {
  /**
   * 1000 msg/s for 10 s against a service taking 1 ms, except one 1 s stall in the middle. Measured from the
   * actual send time (a closed loop waits out the stall) only one message sees it; measured from the
   * intended time, every message scheduled during the stall waits, which is what users see.
   */
  @Test
  void latencyFromTheIntendedSendTimeShowsTheStallThatCoordinatedOmissionHides() {
    AtomicLong clock = new AtomicLong();
    Pacer pacer = new Pacer(1000, 0, clock::get);
    LatencyRecorder corrected = new LatencyRecorder();
    Histogram naive = new Histogram(LatencyRecorder.HIGHEST_MICROS, 3);
    for (int i = 0; i < 10_000; i++) {
      long intended = pacer.peek();
      clock.set(Math.max(clock.get(), intended));
      pacer.awaitNext();
      long sentAt = clock.get();
      long service = i == 5000 ? 1_000_000_000L : 1_000_000L;
      clock.addAndGet(service);
      corrected.record(intended, clock.get());
      naive.recordValue((clock.get() - sentAt) / 1000);
    }
    Histogram h = corrected.snapshot();
    assertThat(naive.getValueAtPercentile(99)).isLessThanOrEqualTo(1_001);
    assertThat(h.getValueAtPercentile(99)).isGreaterThan(500_000); // ~10 % of messages waited behind the stall
    assertThat(h.getValueAtPercentile(50)).isLessThanOrEqualTo(1_001);
    assertThat(h.getMaxValue()).isBetween(1_000_000L, 1_002_000L);
    assertThat(h.getTotalCount()).isEqualTo(10_000);
  }

  @Test
  void snapshotsAccumulateAndClampAbsurdValues() {
    LatencyRecorder r = new LatencyRecorder();
    r.record(0, 2_000_000);
    assertThat(r.snapshot().getTotalCount()).isEqualTo(1);
    r.record(0, Long.MAX_VALUE);
    r.record(10, 0); // clock before the intended time: counted as 0
    Histogram h = r.snapshot();
    assertThat(h.getTotalCount()).isEqualTo(3);
    assertThat(h.getMinValue()).isZero();
    assertThat(h.getMaxValue()).isGreaterThanOrEqualTo(LatencyRecorder.HIGHEST_MICROS - 1);
  }
}
