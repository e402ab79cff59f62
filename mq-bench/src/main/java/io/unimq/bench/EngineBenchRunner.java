package io.unimq.bench;

import io.unimq.bench.jmh.CpuProfiler;
import io.unimq.bench.jmh.EngineBenchmark;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs {@link EngineBenchmark} with the GC and CPU profilers and extracts per-message figures. Stateless. */
final class EngineBenchRunner {
  private EngineBenchRunner() {}

  static List<Report.EngineBenchResult> run(boolean quick) throws Exception {
    Options opts = new OptionsBuilder()
        .include(EngineBenchmark.class.getName() + "\\.")
        .forks(1)
        .warmupIterations(quick ? 1 : 5).warmupTime(TimeValue.seconds(1))
        .measurementIterations(quick ? 2 : 10).measurementTime(TimeValue.seconds(1))
        .addProfiler(GCProfiler.class)
        .addProfiler(CpuProfiler.class)
        .jvmArgs("-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
        .build();
    Collection<RunResult> results = new Runner(opts).run();
    List<Report.EngineBenchResult> out = new ArrayList<>();
    for (RunResult r : results) {
      Result<?> primary = r.getPrimaryResult();
      String name = r.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.') + 1);
      out.add(new Report.EngineBenchResult(name, primary.getScore(), primary.getScoreError(),
          secondary(r, "gc.alloc.rate.norm"), secondary(r, "cpu.time.norm")));
    }
    return out;
  }

  private static double secondary(RunResult r, String key) {
    Result<?> s = r.getSecondaryResults().get(key);
    return s == null ? Double.NaN : s.getScore();
  }
}
