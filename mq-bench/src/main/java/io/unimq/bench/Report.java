package io.unimq.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Turns the outcomes into {@code benchmarks.md} (the method, the command, the ratio tables) and
 * {@code benchmarks.json} (every figure, per pair). Not thread-safe.
 */
final class Report {
  static final double THROUGHPUT_TARGET = 0.95;
  /** Added p50 allowed: this many milliseconds, or {@link #ADDED_SHARE} of the native p50 when that is more. */
  static final double ADDED_P50_FLOOR_MS = 0.5;
  /** Added p99 allowed: this many milliseconds, or {@link #ADDED_SHARE} of the native p99 when that is more. */
  static final double ADDED_P99_FLOOR_MS = 2.0;
  static final double ADDED_SHARE = 0.10;

  private final Settings settings;
  private final Map<String, Object> environment;
  private final List<WorkloadRunner.Outcome> outcomes;
  private final Map<String, String> skipped;
  private final List<EngineBenchResult> jmh;

  Report(Settings settings, Map<String, Object> environment, List<WorkloadRunner.Outcome> outcomes, Map<String, String> skipped,
      List<EngineBenchResult> jmh) {
    this.settings = settings;
    this.environment = environment;
    this.outcomes = outcomes;
    this.skipped = skipped;
    this.jmh = jmh;
  }

  /** One JMH benchmark of the engine path. */
  record EngineBenchResult(String name, double opsPerSecond, double error, double allocBytesPerOp, double cpuNanosPerOp) {}

  private static double[] values(List<WorkloadRunner.Sample> s, ToDoubleFunction<WorkloadRunner.Sample> f) {
    return s.stream().mapToDouble(f).toArray();
  }

  private static String f(String fmt, double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, fmt, v);
  }

  private static String stat(PairedStats p, String fmt) {
    if (p.pairs() == 0) {
      return "n/a";
    }
    return f(fmt, p.median()) + " [" + f(fmt, p.min()) + " – " + f(fmt, p.max()) + "] (IQR " + f(fmt, p.q1()) + " – " + f(fmt, p.q3()) + ")";
  }

  /** Messages of the latency phases not received by the drain deadline, in all runs, as a share of those confirmed. */
  private static String late(List<WorkloadRunner.Sample> samples) {
    long lost = 0;
    long acked = 0;
    for (WorkloadRunner.Sample s : samples) {
      lost += s.latency().lost();
      acked += s.latency().acked();
    }
    return acked == 0 ? "n/a" : f("%.1f %%", 100.0 * lost / acked);
  }

  private static String pair(double[] a, double[] b, String fmt) {
    return f(fmt, PairedStats.median(a)) + " / " + f(fmt, PairedStats.median(b));
  }

  /** Figures of one outcome, shared by both outputs. */
  private record Figures(PairedStats publish, PairedStats endToEnd, PairedStats addedP50, PairedStats addedP99, PairedStats p99Ratio,
      double[] nPub, double[] uPub, double[] nE2e, double[] uE2e, double[][] nLat, double[][] uLat, double[][] cpu,
      boolean throughputMet, boolean latencyMet, double allowedP50Ms, double allowedP99Ms) {

    static Figures of(WorkloadRunner.Outcome o) {
      double[] nPub = values(o.natives(), s -> s.publishOnly().publishRate());
      double[] uPub = values(o.unimqs(), s -> s.publishOnly().publishRate());
      double[] nE2e = values(o.natives(), s -> s.throughput().endToEndRate());
      double[] uE2e = values(o.unimqs(), s -> s.throughput().endToEndRate());
      double[] ps = {50, 99, 99.9};
      double[][] nLat = new double[3][];
      double[][] uLat = new double[3][];
      for (int i = 0; i < 3; i++) {
        double p = ps[i];
        nLat[i] = values(o.natives(), s -> s.latency().e2eMillis(p));
        uLat[i] = values(o.unimqs(), s -> s.latency().e2eMillis(p));
      }
      // CPU µs per message of this JVM, native then unimq: end to end (saturating), at the fixed rate, publish only
      double[][] cpu = {
          values(o.natives(), s -> s.throughput().cpuMicrosPerMessage()), values(o.unimqs(), s -> s.throughput().cpuMicrosPerMessage()),
          values(o.natives(), s -> s.latency().cpuMicrosPerMessage()), values(o.unimqs(), s -> s.latency().cpuMicrosPerMessage()),
          values(o.natives(), s -> s.publishOnly().cpuMicrosPerMessage()), values(o.unimqs(), s -> s.publishOnly().cpuMicrosPerMessage())};
      PairedStats pub = PairedStats.ratios(nPub, uPub);
      PairedStats e2e = PairedStats.ratios(nE2e, uE2e);
      PairedStats added50 = PairedStats.differences(nLat[0], uLat[0]);
      PairedStats added99 = PairedStats.differences(nLat[1], uLat[1]);
      double allowed50 = Math.max(ADDED_P50_FLOOR_MS, ADDED_SHARE * PairedStats.median(nLat[0]));
      double allowed99 = Math.max(ADDED_P99_FLOOR_MS, ADDED_SHARE * PairedStats.median(nLat[1]));
      return new Figures(pub, e2e, added50, added99, PairedStats.ratios(nLat[1], uLat[1]), nPub, uPub, nE2e, uE2e, nLat, uLat, cpu,
          pub.pairs() > 0 && pub.median() >= THROUGHPUT_TARGET && e2e.median() >= THROUGHPUT_TARGET,
          added99.pairs() > 0 && added50.median() <= allowed50 && added99.median() <= allowed99, allowed50, allowed99);
    }
  }

  void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("benchmarks.md"), markdown());
    Files.writeString(dir.resolve("benchmarks.json"), Json.write(json()));
  }

  String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append(Docs.HEADER);
    sb.append("\n## Results (").append(settings.mode()).append(" mode)\n\n");
    environment.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
    sb.append("- pairs per workload: ").append(settings.pairs()).append("; phase ").append(settings.phase().toMillis())
        .append(" ms after a ").append(settings.warmup().toMillis()).append(" ms warm-up; search ").append(settings.searchSteps())
        .append(" steps of ").append(settings.searchStep().toMillis()).append(" ms\n");
    skipped.forEach((b, why) -> sb.append("- **").append(b).append(" skipped**: ").append(why).append('\n'));
    sb.append("\n### Throughput\n\n");
    sb.append("End to end: messages received per second while publishing as fast as the pipeline carries them (at most 16384 sent")
        .append(" and not yet received). Publish only: confirmed sends per second, whatever the consumer does. Max sustainable: the")
        .append(" open-loop search (n/a where the mode skips it). Ratios are medians over pairs of unimq ÷ native, [min – max] (IQR).\n\n");
    sb.append("CPU: this JVM's CPU time (every thread: client, JIT, GC; not the broker's) per message received (publish only: per message confirmed, with whatever the consumer did meanwhile), in µs, medians over pairs.\n\n");
    sb.append("| broker | workload | max sustainable native / unimq (msg/s) | end to end native / unimq (msg/s) | **end-to-end ratio** |")
        .append(" publish only native / unimq (msg/s) | **publish ratio** | both ≥ 0.95 | CPU µs/msg end to end native / unimq |")
        .append(" CPU µs/msg publish only native / unimq |\n");
    sb.append("|---|---|---|---|---|---|---|:---:|---|---|\n");
    for (WorkloadRunner.Outcome o : outcomes) {
      Figures g = Figures.of(o);
      sb.append("| ").append(o.broker()).append(" | ").append(o.workload().label()).append(" | ")
          .append(o.nativeSearch() == null ? "n/a" : o.nativeSearch().best() > 0 ? f("%.0f", o.nativeSearch().best())
              : "none found (latency runs at ¼ of saturation)").append(" / ")
          .append(o.unimqSearch() == null ? "n/a" : f("%.0f", o.unimqSearch().best())).append(" | ")
          .append(pair(g.nE2e(), g.uE2e(), "%.0f")).append(" | ").append(stat(g.endToEnd(), "%.3f")).append(" | ")
          .append(pair(g.nPub(), g.uPub(), "%.0f")).append(" | ").append(stat(g.publish(), "%.3f")).append(" | ")
          .append(o.error() != null ? "error" : g.throughputMet() ? "yes" : "**no**").append(" | ")
          .append(pair(g.cpu()[0], g.cpu()[1], "%.1f")).append(" | ").append(pair(g.cpu()[4], g.cpu()[5], "%.1f")).append(" |\n");
    }
    sb.append("\n### End-to-end latency at half the native maximum rate (open loop, from the intended send time)\n\n");
    sb.append("Added: unimq − native per pair, median [min – max] (IQR). Allowed: p50 max(").append(f("%.1f", ADDED_P50_FLOOR_MS))
        .append(" ms, ").append(f("%.0f", 100 * ADDED_SHARE)).append(" % of native p50), p99 max(").append(f("%.1f", ADDED_P99_FLOOR_MS))
        .append(" ms, ").append(f("%.0f", 100 * ADDED_SHARE)).append(" % of native p99); met when both medians are within.\n\n");
    sb.append("| broker | workload | rate (msg/s) | p50 ms native / unimq | p99 ms native / unimq | p99.9 ms native / unimq | **added p50 ms** |")
        .append(" **added p99 ms** | allowed p50 / p99 ms | met | CPU µs/msg native / unimq | late (native / unimq) |\n");
    sb.append("|---|---|---:|---|---|---|---|---|---|:---:|---|---|\n");
    for (WorkloadRunner.Outcome o : outcomes) {
      Figures g = Figures.of(o);
      sb.append("| ").append(o.broker()).append(" | ").append(o.workload().label()).append(" | ").append(f("%.0f", o.latencyRate())).append(" | ")
          .append(pair(g.nLat()[0], g.uLat()[0], "%.2f")).append(" | ").append(pair(g.nLat()[1], g.uLat()[1], "%.2f")).append(" | ")
          .append(pair(g.nLat()[2], g.uLat()[2], "%.2f")).append(" | ").append(stat(g.addedP50(), "%.2f")).append(" | ")
          .append(stat(g.addedP99(), "%.2f")).append(" | ").append(f("%.2f", g.allowedP50Ms())).append(" / ").append(f("%.2f", g.allowedP99Ms()))
          .append(" | ").append(o.error() != null ? "error" : g.latencyMet() ? "yes" : "**no**").append(" | ")
          .append(pair(g.cpu()[2], g.cpu()[3], "%.1f")).append(" | ")
          .append(late(o.natives())).append(" / ").append(late(o.unimqs())).append(" |\n");
    }
    List<String> errors = new ArrayList<>();
    for (WorkloadRunner.Outcome o : outcomes) {
      if (o.error() != null) {
        errors.add("- " + o.broker() + " " + o.workload().label() + ": " + o.error() + " (" + o.natives().size() + " complete pairs kept)");
      }
    }
    if (!errors.isEmpty()) {
      sb.append("\nErrors:\n").append(String.join("\n", errors)).append('\n');
    }
    sb.append("\n### Client settings\n\n");
    Map<String, String> seen = new LinkedHashMap<>();
    for (WorkloadRunner.Outcome o : outcomes) {
      seen.putIfAbsent(o.broker() + " native", o.nativeSettings());
      seen.putIfAbsent(o.broker() + " unimq", o.unimqSettings());
    }
    seen.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
    if (!jmh.isEmpty()) {
      sb.append("\n### Engine path without a broker (JMH, `-prof gc` and process CPU)\n\n");
      sb.append("| benchmark | ops/s | ± | alloc B/op | CPU ns/op (all threads) |\n|---|---:|---:|---:|---:|\n");
      for (EngineBenchResult r : jmh) {
        sb.append("| ").append(r.name()).append(" | ").append(f("%.0f", r.opsPerSecond())).append(" | ").append(f("%.0f", r.error()))
            .append(" | ").append(f("%.0f", r.allocBytesPerOp())).append(" | ").append(f("%.0f", r.cpuNanosPerOp())).append(" |\n");
      }
    }
    sb.append(Docs.FOOTER);
    return sb.toString();
  }

  Map<String, Object> json() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("mode", settings.mode());
    root.put("environment", environment);
    root.put("pairs", settings.pairs());
    root.put("phaseMillis", settings.phase().toMillis());
    root.put("warmupMillis", settings.warmup().toMillis());
    root.put("skipped", skipped);
    List<Object> list = new ArrayList<>();
    for (WorkloadRunner.Outcome o : outcomes) {
      Figures g = Figures.of(o);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("broker", o.broker());
      m.put("messageBytes", o.workload().size());
      m.put("partitions", o.workload().partitions());
      m.put("error", o.error());
      m.put("nativeSettings", o.nativeSettings());
      m.put("unimqSettings", o.unimqSettings());
      m.put("nativeSearch", search(o.nativeSearch()));
      m.put("unimqSearch", search(o.unimqSearch()));
      m.put("latencyRate", o.latencyRate());
      m.put("publishRatio", stats(g.publish()));
      m.put("endToEndRatio", stats(g.endToEnd()));
      m.put("addedP50Millis", stats(g.addedP50()));
      m.put("addedP99Millis", stats(g.addedP99()));
      m.put("p99Ratio", stats(g.p99Ratio()));
      m.put("allowedAddedP50Millis", g.allowedP50Ms());
      m.put("allowedAddedP99Millis", g.allowedP99Ms());
      m.put("throughputTargetMet", g.throughputMet());
      m.put("latencyTargetMet", g.latencyMet());
      m.put("native", samples(o.natives()));
      m.put("unimq", samples(o.unimqs()));
      list.add(m);
    }
    root.put("workloads", list);
    List<Object> j = new ArrayList<>();
    for (EngineBenchResult r : jmh) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("benchmark", r.name());
      m.put("opsPerSecond", r.opsPerSecond());
      m.put("error", r.error());
      m.put("allocBytesPerOp", r.allocBytesPerOp());
      m.put("cpuNanosPerOp", r.cpuNanosPerOp());
      j.add(m);
    }
    root.put("engine", j);
    return root;
  }

  private static Map<String, Object> search(WorkloadRunner.Search s) {
    if (s == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("saturation", s.saturation());
    m.put("maxSustainable", s.best());
    List<Object> steps = new ArrayList<>();
    for (double[] st : s.steps()) {
      steps.add(Map.of("rate", st[0], "held", st[1] > 0, "publishRate", st[2], "p99Millis", st[3]));
    }
    m.put("steps", steps);
    return m;
  }

  private static Map<String, Object> stats(PairedStats p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pairs", p.pairs());
    m.put("median", p.median());
    m.put("geomean", p.geomean());
    m.put("q1", p.q1());
    m.put("q3", p.q3());
    m.put("min", p.min());
    m.put("max", p.max());
    m.put("values", p.values());
    return m;
  }

  private static List<Object> samples(List<WorkloadRunner.Sample> samples) {
    List<Object> out = new ArrayList<>();
    for (WorkloadRunner.Sample s : samples) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("endToEndRate", s.throughput().endToEndRate());
      m.put("endToEndCpuMicrosPerMessage", s.throughput().cpuMicrosPerMessage());
      m.put("latencyPhaseCpuMicrosPerMessage", s.latency().cpuMicrosPerMessage());
      m.put("publishOnlyCpuMicrosPerMessage", s.publishOnly().cpuMicrosPerMessage());
      m.put("closedLoopPublishRate", s.throughput().publishRate());
      m.put("publishOnlyRate", s.publishOnly().publishRate());
      m.put("publishOnlyP99Millis", s.publishOnly().publishMillis(99));
      m.put("latencyPhaseRate", s.latency().publishRate());
      m.put("p50Millis", s.latency().e2eMillis(50));
      m.put("p99Millis", s.latency().e2eMillis(99));
      m.put("p999Millis", s.latency().e2eMillis(99.9));
      m.put("publishP99Millis", s.latency().publishMillis(99));
      m.put("lateAtDeadline", s.latency().lost());
      m.put("errors", s.latency().errors() + s.throughput().errors() + s.publishOnly().errors());
      out.add(m);
    }
    return out;
  }
}
