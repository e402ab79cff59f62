package io.unimq.bench;

import io.unimq.bench.drivers.Driver;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs one workload on one broker: a maximum-rate search for each implementation, then paired runs
 * A (native) B (unimq) A B..., each on a fresh topic: warm-up, a saturating phase (end-to-end
 * throughput), an open-loop phase at half the native
 * maximum (latency), then publishing alone (publish throughput). Not thread-safe.
 */
final class WorkloadRunner {
  private final Settings settings;
  private final Consumer<String> log;

  WorkloadRunner(Settings settings, Consumer<String> log) {
    this.settings = settings;
    this.log = log;
  }

  /** The search of one implementation: saturation estimate, then the rates tried. */
  record Search(double saturation, double best, List<double[]> steps) {}

  /**
   * One measured run: its saturating phase (end to end, closed loop), its latency phase (open loop) and
   * its publish-only phase (producer path alone).
   */
  record Sample(PhaseResult latency, PhaseResult throughput, PhaseResult publishOnly) {}

  record Outcome(String broker, Workload workload, String nativeSettings, String unimqSettings, Search nativeSearch,
      Search unimqSearch, double latencyRate, List<Sample> natives, List<Sample> unimqs, String error) {}

  Outcome run(String broker, Driver nat, Driver uni, Workload w) {
    Search ns = null;
    Search us = null;
    double rate = 0;
    List<Sample> a = new ArrayList<>();
    List<Sample> b = new ArrayList<>();
    try {
      jitWarmUp(nat, w); // the search's estimate sets the paired rate: measure it with a warm JIT
      ns = search(nat, w, settings.searchSteps());
      if (settings.unimqSearchSteps() > 0) {
        us = search(uni, w, settings.unimqSearchSteps());
      } else {
        jitWarmUp(uni, w); // the native client's search warmed up its JIT; unimq gets the same before the pairs
      }
      rate = Math.max(50, 0.5 * (ns.best() > 0 ? ns.best() : 0.5 * ns.saturation()));
      log.accept(String.format("%s %s: paired runs at %.0f msg/s (%s)", broker, w.label(), rate,
          ns.best() > 0 ? "half the native maximum" : "no sustainable native rate found: a quarter of its saturating estimate"));
      for (int i = 0; i < settings.pairs(); i++) {
        a.add(sample(nat, w, rate));
        b.add(sample(uni, w, rate));
        Sample na = a.get(i);
        Sample nb = b.get(i);
        log.accept(String.format("  pair %d: end to end native %.0f unimq %.0f msg/s (%.3f); publish only native %.0f unimq %.0f (%.3f);"
            + " p99 native %.2f unimq %.2f ms", i + 1, na.throughput().endToEndRate(), nb.throughput().endToEndRate(),
            nb.throughput().endToEndRate() / na.throughput().endToEndRate(), na.publishOnly().publishRate(), nb.publishOnly().publishRate(),
            nb.publishOnly().publishRate() / na.publishOnly().publishRate(), na.latency().e2eMillis(99), nb.latency().e2eMillis(99)));
      }
      return new Outcome(broker, w, nat.settings(), uni.settings(), ns, us, rate, a, b, null);
    } catch (Exception e) {
      log.accept("  FAILED: " + e);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      int n = Math.min(a.size(), b.size());
      return new Outcome(broker, w, nat.settings(), uni.settings(), ns, us, rate, a.subList(0, n), b.subList(0, n), e.toString());
    }
  }

  private Session open(Driver d, Workload w) {
    return Session.open(d, w.size(), w.partitions(), settings.maxOutstanding(), settings.ready());
  }

  /** {@code s} when its last phase left no backlog, else a fresh session (topic and group) in its place. */
  private Session clean(Session s, PhaseResult last, Driver d, Workload w) {
    if (last.drained()) {
      return s;
    }
    s.close();
    return open(d, w);
  }

  private Search search(Driver d, Workload w, int stepCount) throws InterruptedException {
    Session s = open(d, w);
    try {
      s.warmUp(settings.warmup(), settings.searchDrain());
      s = clean(s, s.saturate(settings.searchStep(), settings.searchDrain()), d, w); // JIT warm-up of the hot path
      PhaseResult sat = s.saturate(settings.searchStep(), settings.searchDrain());
      s = clean(s, sat, d, w);
      // what the pipeline carried: with a slow consumer (RocketMQ here: 300 msg/s end to end) a
      // saturating second publishes up to the window (16 k) and only a fraction of it arrives, so its
      // publish rate started the search far above anything sustainable
      double estimate = Math.min(sat.publishRate(), sat.endToEndRate());
      RateSearch rs = new RateSearch(Math.max(50, 0.8 * estimate), 1.25);
      List<double[]> steps = new ArrayList<>();
      for (int i = 0; i < stepCount; i++) {
        double rate = rs.next();
        PhaseResult r = s.fixedRate(rate, settings.searchStep(), settings.searchDrain());
        boolean ok = r.sustained(settings.maxP99Millis());
        rs.record(ok);
        steps.add(new double[] {rate, ok ? 1 : 0, r.publishRate(), r.e2eMillis(99)});
        if (i < stepCount - 1) {
          s = clean(s, r, d, w);
        }
      }
      log.accept(String.format("%s %s search: saturation %.0f msg/s, max sustainable %.0f msg/s (tried %s)", d.implementation(),
          w.label(), estimate, rs.best(), describe(steps)));
      return new Search(estimate, rs.best(), steps);
    } finally {
      s.close();
    }
  }

  /**
   * Discarded rounds that compile the hot paths: a warm-up, then rounds of what a pair runs (a
   * saturating step, a fixed-rate step at half its rate, a publish-only step) until the end-to-end
   * rate stops rising and the JIT is quiet (it compiled for less than {@value #QUIET_JIT_PERCENT} % of
   * the round), at least {@value #MIN_WARM_ROUNDS} rounds, at most {@value #MAX_WARM_ROUNDS}, none
   * started after {@value #MAX_WARM_SECONDS} s. On a cold JVM two saturating steps were not enough (the
   * native client's end-to-end rate still rose from 239 k to 888 k msg/s over the five pairs that
   * followed), and saturating steps alone left unimq's fixed-rate and publish-only paths to be compiled
   * during the first pairs, while the compiler took much of the bench JVM's CPU.
   */
  private void jitWarmUp(Driver d, Workload w) throws InterruptedException {
    Session s = open(d, w);
    try {
      s.warmUp(settings.warmup(), settings.searchDrain());
      double best = 0;
      StringBuilder rates = new StringBuilder();
      long deadline = System.nanoTime() + MAX_WARM_SECONDS * 1_000_000_000L;
      for (int i = 0; i < MAX_WARM_ROUNDS && (i < MIN_WARM_ROUNDS || System.nanoTime() < deadline); i++) {
        long compiledBefore = compileMillis();
        long start = System.nanoTime();
        PhaseResult r = s.saturate(settings.searchStep(), settings.searchDrain());
        double rate = r.endToEndRate();
        s = clean(s, r, d, w);
        s = clean(s, s.fixedRate(Math.max(50, rate / 2), settings.searchStep(), settings.searchDrain()), d, w);
        s = clean(s, s.saturatePublish(settings.searchStep(), settings.searchDrain()), d, w);
        long compiled = compileMillis() - compiledBefore;
        long roundMillis = (System.nanoTime() - start) / 1_000_000;
        rates.append(i == 0 ? "" : ", ").append(String.format("%.0f (JIT %d ms)", rate, compiled));
        boolean rising = rate > RISING * best;
        boolean compiling = compiled * 100 > QUIET_JIT_PERCENT * Math.max(1, roundMillis);
        best = Math.max(best, rate);
        if (i + 1 >= MIN_WARM_ROUNDS && !rising && !compiling) {
          break;
        }
      }
      log.accept(String.format("%s %s JIT warm-up: rounds saturating at %s msg/s end to end", d.implementation(), w.label(), rates));
    } finally {
      s.close();
    }
  }

  /** Time the JIT compilers spent so far, in ms (0 where the JVM does not say). */
  private static long compileMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
  }

  static final int MIN_WARM_ROUNDS = 2;
  static final int MAX_WARM_ROUNDS = 20;
  /** No round starts after this (slow brokers drain for long after a saturating step), beyond the first {@value #MIN_WARM_ROUNDS}. */
  static final int MAX_WARM_SECONDS = 45;
  /** A step this much above the best before it means the paths are still warming up. */
  private static final double RISING = 1.10;
  /** A round whose JIT compilation took more than this share of it (per cent) means the paths are still being compiled. */
  static final int QUIET_JIT_PERCENT = 5;

  private static String describe(List<double[]> steps) {
    StringBuilder sb = new StringBuilder();
    for (double[] s : steps) {
      sb.append(sb.length() == 0 ? "" : ", ").append(String.format("%.0f%s", s[0], s[1] > 0 ? " ok" : " no"));
    }
    return sb.toString();
  }

  /**
   * One run. A phase that leaves a backlog (the implementation could not keep up) would delay the next
   * phase's messages, so the next phase then gets a fresh topic and group.
   */
  private Sample sample(Driver d, Workload w, double rate) throws InterruptedException {
    Session s = open(d, w);
    try {
      s.warmUp(settings.warmup(), settings.searchDrain());
      PhaseResult throughput = s.saturate(settings.phase(), settings.drain());
      s = clean(s, throughput, d, w);
      PhaseResult latency = s.fixedRate(rate, settings.phase(), settings.drain());
      s = clean(s, latency, d, w);
      PhaseResult publishOnly = s.saturatePublish(settings.phase(), settings.drain());
      return new Sample(latency, throughput, publishOnly);
    } finally {
      s.close();
    }
  }
}
