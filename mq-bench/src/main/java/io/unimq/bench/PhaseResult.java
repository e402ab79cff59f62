package io.unimq.bench;

import org.HdrHistogram.Histogram;

/**
 * What one phase of a run measured. Rates are per second over the phase's window; latencies in
 * microseconds from the intended send time. Immutable.
 */
record PhaseResult(double targetRate, double seconds, long sent, long acked, long errors, long received,
    double publishRate, double consumeRate, double drainedSeconds, long cpuNanos, Histogram endToEnd, Histogram publish) {

  /**
   * CPU time of this whole JVM (all threads: client, JIT, GC) per message received, in microseconds;
   * per message confirmed in a publish-only phase (which does not wait for the consumer, so what it
   * received says little) or when nothing was received.
   */
  double cpuMicrosPerMessage() {
    long n = targetRate >= 0 && received > 0 ? received : acked;
    return n == 0 ? Double.NaN : cpuNanos / 1000.0 / n;
  }

  /** CPU time of this JVM so far, all threads (JIT and GC included). */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

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
