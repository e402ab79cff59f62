package io.unimq.bench;

import io.unimq.bench.drivers.Driver;
import io.unimq.bench.drivers.UnimqDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code java -jar mq-bench/target/mq-bench.jar [--short|--full] [--brokers kafka,rabbitmq,redis,rocketmq]
 * [--workloads 100B:1,1KiB:8] [--pairs N] [--phase-ms N] [--no-jmh] [--jmh-only] [--out DIR] [--profile SPEC]}: unimq against the native
 * clients on every broker whose adapter is on the classpath and which answers; writes
 * {@code benchmarks.md} and {@code benchmarks.json}. See {@code docs/benchmarks.md}.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.shortMode();
    Set<String> brokers = new TreeSet<>(List.of("kafka", "rabbitmq", "redis", "rocketmq"));
    boolean jmh = true;
    boolean brokersToo = true;
    Path out = Files.isDirectory(Path.of("mq-bench")) ? Path.of("docs") : Path.of("..", "docs");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--short" -> settings = Settings.shortMode().withWorkloads(settings.workloads());
        case "--full" -> settings = Settings.fullMode();
        case "--brokers" -> brokers = new TreeSet<>(Arrays.asList(args[++i].split(",")));
        case "--workloads" -> settings = settings.withWorkloads(Workload.parse(args[++i]));
        case "--pairs" -> settings = settings.withPairs(Integer.parseInt(args[++i]));
        case "--phase-ms" -> settings = settings.withPhase(Duration.ofMillis(Long.parseLong(args[++i])));
        case "--no-jmh" -> jmh = false;
        case "--jmh-only" -> brokersToo = false;
        case "--out" -> out = Path.of(args[++i]);
        case "--profile" -> {
          Profile.run(args[++i], settings);
          System.exit(0);
        }
        default -> {
          System.err.println("unknown argument " + args[i] + "; see docs/benchmarks.md");
          System.exit(2);
        }
      }
    }
    if (settings.pairs() < 5) {
      System.err.println("note: fewer than 5 pairs; ratios will be rough");
    }
    Map<String, Object> env = new LinkedHashMap<>();
    Instant started = Instant.now();
    env.put("started", started.toString());
    env.put("host", Runtime.getRuntime().availableProcessors() + " CPUs, Java " + System.getProperty("java.version")
        + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
    env.put("load average at start (1/5/15 min)", loadAverage());
    env.put("adapters on the classpath", Broker.installedSchemes().toString());
    env.put("how this was run", howRun());

    List<WorkloadRunner.Outcome> outcomes = new ArrayList<>();
    Map<String, String> skipped = new LinkedHashMap<>();
    if (brokersToo) {
      WorkloadRunner runner = new WorkloadRunner(settings, Main::log);
      for (Broker b : Broker.all()) {
        if (!brokers.contains(b.name()) && !brokers.contains(b.scheme())) {
          continue;
        }
        String why = b.unavailableReason();
        if (why != null) {
          log(b.name() + ": skipped, " + why);
          skipped.put(b.name(), why);
          continue;
        }
        long t0 = System.nanoTime();
        try (Driver nat = b.nativeDriver().get(); Driver uni = new UnimqDriver(b.unimqUri(), nat)) {
          for (Workload w : settings.workloads()) {
            Workload effective = b.partitioned() ? w : new Workload(w.size(), 1);
            if (outcomes.stream().anyMatch(o -> o.broker().equals(b.name()) && o.workload().equals(effective))) {
              continue;
            }
            log(b.name() + " " + effective.label() + ": starting");
            outcomes.add(runner.run(b.name(), nat, uni, effective));
          }
        } catch (RuntimeException e) {
          log(b.name() + ": skipped, " + e);
          skipped.put(b.name(), e.toString());
        }
        log(String.format("%s done in %.0f s", b.name(), (System.nanoTime() - t0) / 1e9));
      }
    }
    env.put("brokers wall time", Duration.between(started, Instant.now()).toSeconds() + " s");
    List<Report.EngineBenchResult> engine = List.of();
    if (jmh) {
      log("JMH: engine path without a broker");
      engine = EngineBenchRunner.run("short".equals(settings.mode()));
    }
    env.put("load average at end (1/5/15 min)", loadAverage());
    env.put("total wall time (brokers + JMH)", Duration.between(started, Instant.now()).toSeconds() + " s");
    Report report = new Report(settings, env, outcomes, skipped, engine);
    report.write(out);
    log("wrote " + out.resolve("benchmarks.md") + " and " + out.resolve("benchmarks.json"));
    System.exit(0);
  }

  /**
   * The CPUs this JVM may run on, and which test brokers were answering: what the pinning advice of
   * docs/benchmarks.md asks to report.
   */
  static String howRun() {
    String cpus = "n/a";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Cpus_allowed_list:")) {
          cpus = line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (Exception e) {
      // not Linux: n/a
    }
    Set<String> answering = new TreeSet<>();
    for (Broker b : Broker.all()) {
      if (b.unavailableReason() == null) {
        answering.add(b.scheme());
      }
    }
    return "bench JVM on CPUs " + cpus + " of " + Runtime.getRuntime().availableProcessors()
        + (answering.size() <= 1 ? "; one test broker running: " + String.join(", ", answering)
            : "; test brokers answering at start: " + String.join(", ", answering) + " (each measured in turn while the others idled)");
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (Exception e) {
      return "n/a";
    }
  }

  static void log(String line) {
    System.out.println(Instant.now().toString().substring(11, 19) + " " + line);
  }
}
