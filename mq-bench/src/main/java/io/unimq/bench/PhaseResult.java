package io.unimq.bench;

import org.HdrHistogram.Histogram;

/**
 * What one phase of a run measured. Rates are per second over the phase's window; latencies in
 * microseconds from the intended send time. Immutable.
 */
record PhaseResult(double targetRate, double seconds, long sent, long acked, long errors, long received,
    double publishRate, double consumeRate, double drainedSeconds, Histogram endToEnd, Histogram publish) {

  /** Messages received per second from the phase's start until the last one arrived (or the drain timed out). */
  double endToEndRate() {
    return drainedSeconds > 0 ? received / drainedSeconds : 0;
  }

  /** Whether every confirmed message arrived before the drain deadline: the topic has no backlog left. */
  boolean drained() {
    return received >= acked;
  }

  long lost() {
    return Math.max(0, acked - received);
  }

  double e2eMillis(double percentile) {
    return endToEnd.getTotalCount() == 0 ? Double.NaN : endToEnd.getValueAtPercentile(percentile) / 1000.0;
  }

  double publishMillis(double percentile) {
    return publish.getTotalCount() == 0 ? Double.NaN : publish.getValueAtPercentile(percentile) / 1000.0;
  }

  /**
   * Whether an open-loop phase held its rate: the sender kept to the schedule, the broker confirmed
   * and the consumer received (nearly) everything, and p99 stayed under {@code maxP99Millis}.
   */
  boolean sustained(double maxP99Millis) {
    double expected = targetRate * seconds;
    return errors == 0 && acked >= 0.95 * expected && received >= 0.99 * acked && e2eMillis(99) <= maxP99Millis;
  }
}
