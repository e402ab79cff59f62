package io.unimq.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies in microseconds, measured from the intended send time (see {@link Pacer}), so a stall
 * delays every message scheduled during it and shows in the percentiles (no coordinated omission).
 * Values above {@link #HIGHEST_MICROS} are clamped. Thread-safe (recording); {@link #snapshot} from one thread.
 */
final class LatencyRecorder {
  static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(2);
  private final Recorder recorder = new Recorder(HIGHEST_MICROS, 3);
  private final Histogram total = new Histogram(HIGHEST_MICROS, 3);

  void record(long intendedNanos, long nowNanos) {
    record(intendedNanos, nowNanos, 1);
  }

  /** {@code count} messages with the same latency. */
  void record(long intendedNanos, long nowNanos, long count) {
    long micros = Math.max(0, (nowNanos - intendedNanos) / 1000);
    recorder.recordValueWithCount(Math.min(micros, HIGHEST_MICROS), count);
  }

  /** Everything recorded so far. */
  Histogram snapshot() {
    total.add(recorder.getIntervalHistogram());
    return total.copy();
  }
}
