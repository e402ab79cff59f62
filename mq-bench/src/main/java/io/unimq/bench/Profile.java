package io.unimq.bench;

import io.unimq.bench.drivers.Driver;
import io.unimq.bench.drivers.UnimqDriver;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code --profile broker:implementation[-pub]:seconds[:rate]}: one implementation saturating (publish only with
 * {@code -pub}: the window counts unconfirmed sends, not unreceived ones) or at a
 * fixed rate) for a while, printing rates each second, to attach a profiler or take thread dumps.
 * Stateless.
 */
final class Profile {
  /**
   * Experiment only ({@code -Dbench.pub.unsubscribed=true}; the report never sets it): a {@code -pub}
   * profile closes the consumer after the warm-up, so that it measures the producer without a
   * consumer competing for the CPU.
   */
  private static final boolean UNSUBSCRIBED = Boolean.getBoolean("bench.pub.unsubscribed");

  private Profile() {}

  /** CPU time so far of each live Java thread (no JIT compiler or GC threads). */
  private static Map<Long, Long> javaThreadCpuNanos() {
    var mx = ManagementFactory.getThreadMXBean();
    Map<Long, Long> out = new HashMap<>();
    for (long id : mx.getAllThreadIds()) {
      long t = mx.getThreadCpuTime(id);
      if (t > 0) {
        out.put(id, t);
      }
    }
    return out;
  }


  static void run(String spec, Settings settings) throws Exception {
    String[] p = spec.split(":");
    Broker b = Broker.all().stream().filter(x -> x.name().equals(p[0])).findFirst().orElseThrow();
    int seconds = Integer.parseInt(p[2]);
    double rate = p.length > 3 ? Double.parseDouble(p[3]) : 0;
    Workload w = settings.workloads().get(0);
    try (Driver nat = b.nativeDriver().get(); Driver uni = new UnimqDriver(b.unimqUri(), nat)) {
      Driver d = p[1].startsWith("native") ? nat : uni;
      boolean publishOnly = p[1].endsWith("-pub");
      try (Session s = Session.open(d, w.size(), w.partitions(), settings.maxOutstanding(), settings.ready())) {
        Main.log("profiling " + spec + " on " + s.topic() + " (pid " + ProcessHandle.current().pid() + ")");
        if (rate <= 0) {
          if (publishOnly) {
            s.saturatePublish(Duration.ofSeconds(2), Duration.ofSeconds(2)); // warm-up
          } else {
            s.saturate(Duration.ofSeconds(2), Duration.ofSeconds(2)); // warm-up
          }
          if (publishOnly && UNSUBSCRIBED) {
            s.unsubscribe();
          }
          Main.log("measuring");
          long cpu0 = PhaseResult.processCpuNanos();
          Map<Long, Long> threads0 = javaThreadCpuNanos();
          PhaseResult r = publishOnly ? s.saturatePublish(Duration.ofSeconds(seconds), Duration.ofSeconds(5))
              : s.saturate(Duration.ofSeconds(seconds), Duration.ofSeconds(5));
          double messages = Math.max(1, r.publishRate() * seconds);
          long threads = 0;
          for (var e : javaThreadCpuNanos().entrySet()) {
            threads += e.getValue() - threads0.getOrDefault(e.getKey(), 0L);
          }
          Main.log(String.format("saturated %d s: publish %.0f/s, end-to-end %.0f/s, lost %d; CPU per message: %.2f µs in Java threads, %.2f µs in this JVM (with JIT and GC)",
              seconds, r.publishRate(), r.endToEndRate(), r.lost(), threads / 1000.0 / messages, (PhaseResult.processCpuNanos() - cpu0) / 1000.0 / messages));
          return;
        }
        for (int i = 0; i < seconds; i++) {
          PhaseResult r = rate > 0 ? s.fixedRate(rate, Duration.ofSeconds(1), Duration.ZERO) : s.saturate(Duration.ofSeconds(1), Duration.ZERO);
          Main.log(String.format("publish %.0f/s, received in window %.0f/s, p50 %.1f ms, p99 %.1f ms", r.publishRate(), r.consumeRate(), r.e2eMillis(50), r.e2eMillis(99)));
        }
      }
    }
  }
}
