package io.unimq.bench.jmh;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Process CPU time per operation ({@code cpu.time.norm}, ns/op), over every thread of the benchmark
 * JVM: the engine's poll and worker threads count too. Requires throughput mode in ops/s. Not
 * thread-safe (JMH calls it from one thread).
 */
public final class CpuProfiler implements InternalProfiler {
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long cpu0;
  private long wall0;

  @Override
  public String getDescription() {
    return "process CPU time per operation, all threads";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    cpu0 = os.getProcessCpuTime();
    wall0 = System.nanoTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
      IterationResult result) {
    long cpu = os.getProcessCpuTime() - cpu0;
    double seconds = (System.nanoTime() - wall0) / 1e9;
    double ops = result.getPrimaryResult().getScore() * seconds;
    double perOp = ops > 0 ? cpu / ops : Double.NaN;
    return List.of(new ScalarResult("cpu.time.norm", perOp, "ns/op", AggregationPolicy.AVG));
  }
}
