package io.unimq.bench;

import java.time.Duration;
import java.util.List;

/**
 * How long and how often: durations of the phases, pairs, search steps, workloads. Immutable.
 *
 * @param warmup open-loop warm-up on each fresh topic before measuring
 * @param phase length of one measured phase (fixed rate, then saturation)
 * @param searchStep length of one step of the maximum-rate search
 * @param searchSteps steps per search
 * @param maxP99Millis a search step whose end-to-end p99 exceeds this did not hold its rate
 * @param searchDrain how long a search step waits for the consumer to catch up
 * @param unimqSearchSteps steps of unimq's search (0: none; its throughput then comes from the pairs only)
 * @param maxOutstanding unconfirmed sends allowed at once (both implementations)
 */
record Settings(String mode, int pairs, Duration warmup, Duration phase, Duration searchStep, int searchSteps,
    Duration drain, Duration searchDrain, int unimqSearchSteps, Duration ready, double maxP99Millis, int maxOutstanding, List<Workload> workloads) {

  static Settings shortMode() {
    return new Settings("short", 5, Duration.ofMillis(300), Duration.ofMillis(1000), Duration.ofMillis(1000), 3,
        Duration.ofSeconds(1), Duration.ofMillis(1500), 0, Duration.ofSeconds(60), 1000, 16384, Workload.parse("100B:1,1KiB:8"));
  }

  static Settings fullMode() {
    return new Settings("full", 7, Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofSeconds(5), 8,
        Duration.ofSeconds(10), Duration.ofSeconds(5), 8, Duration.ofSeconds(60), 1000, 16384, Workload.parse("100B:1,100B:8,1KiB:1,1KiB:8"));
  }

  Settings withPairs(int n) {
    return new Settings(mode, n, warmup, phase, searchStep, searchSteps, drain, searchDrain, unimqSearchSteps, ready, maxP99Millis, maxOutstanding, workloads);
  }

  Settings withWorkloads(List<Workload> w) {
    return new Settings(mode, pairs, warmup, phase, searchStep, searchSteps, drain, searchDrain, unimqSearchSteps, ready, maxP99Millis, maxOutstanding, w);
  }

  Settings withPhase(Duration p) {
    return new Settings(mode, pairs, warmup, p, searchStep, searchSteps, drain, searchDrain, unimqSearchSteps, ready, maxP99Millis, maxOutstanding, workloads);
  }
}
