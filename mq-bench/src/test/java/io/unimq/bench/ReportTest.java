package io.unimq.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static PhaseResult phase(double rate, long p99Micros) {
    Histogram h = new Histogram(LatencyRecorder.HIGHEST_MICROS, 3);
    for (int i = 0; i < 99; i++) {
      h.recordValue(1000);
    }
    h.recordValue(p99Micros);
    h.recordValue(p99Micros);
    long n = (long) rate;
    return new PhaseResult(rate, 1, n, n, 0, n, rate, rate, 1, 0, h, h);
  }

  @Test
  void tablesShowPairedRatiosAndWhetherTargetsAreMet() {
    List<WorkloadRunner.Sample> nat = new ArrayList<>();
    List<WorkloadRunner.Sample> uni = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      nat.add(new WorkloadRunner.Sample(phase(500, 4000), phase(10_000 - i * 1000, 4000), phase(20_000 - i * 1000, 4000)));
      uni.add(new WorkloadRunner.Sample(phase(500, 6000), phase((10_000 - i * 1000) * 0.9, 4000), phase(20_000 - i * 1000, 4000)));
    }
    WorkloadRunner.Search search = new WorkloadRunner.Search(10_000, 1000, List.of(new double[] {1000, 1, 1000, 4}));
    var o = new WorkloadRunner.Outcome("kafka", new Workload(100, 1), "n", "u", search, search, 500, nat, uni, null);
    Settings s = Settings.shortMode();
    Report r = new Report(s, Map.of("load", "1.0"), List.of(o), Map.of("redis", "no adapter"),
        List.of(new Report.EngineBenchResult("sendNoopTransport", 1e6, 1e4, 320, 900)));
    String md = r.markdown();
    assertThat(md).contains("| kafka | 100 B, 1 partition |").contains("0.900 [0.900 – 0.900]").contains("1.000 [1.000 – 1.000]").contains("**no**")
        .contains("2.00 [2.00 – 2.00]").contains("redis skipped").contains("sendNoopTransport");
    String json = Json.write(r.json());
    assertThat(json).contains("\"throughputTargetMet\": false").contains("\"median\": 0.9").contains("\"broker\": \"kafka\"");
  }

  @Test
  void workloadsParseAndLabel() {
    assertThat(Workload.parse("100B:1,1KiB:8")).containsExactly(new Workload(100, 1), new Workload(1024, 8));
    assertThat(new Workload(1024, 8).label()).isEqualTo("1 KiB, 8 partitions");
    assertThat(Settings.shortMode().withPhase(Duration.ofSeconds(2)).phase()).isEqualTo(Duration.ofSeconds(2));
  }
}
