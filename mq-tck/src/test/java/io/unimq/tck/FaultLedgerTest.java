package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

/** The ledger's report is the JSON {@code scripts/fault-matrix} reads: every figure, text escaped. */
class FaultLedgerTest {
  @Test
  void theReportIsJsonWithEveryFigureAndTextEscaped() throws Exception {
    FaultLedger l = new FaultLedger();
    l.broker = "redis";
    l.fault = "kill";
    l.mode = "full";
    l.seed = 42;
    l.faultSeconds = 1.23456;
    l.lostUnordered = 2;
    l.lostSample.add("id \"a\"\nline\u0001");
    l.failures.put("MqSendException (outcome unknown)", 3L);
    l.node = "node2";
    JsonNode json = JsonMapper.builder().build().readTree(l.toJson());
    assertThat(json.get("format").asInt()).isEqualTo(FaultLedger.FORMAT);
    assertThat(json.get("broker").asText()).isEqualTo("redis");
    assertThat(json.get("seed").asLong()).isEqualTo(42);
    assertThat(json.get("faultSeconds").asDouble()).isEqualTo(1.23);
    assertThat(json.get("lostUnordered").asLong()).isEqualTo(2);
    assertThat(json.get("lostSample").get(0).asText()).isEqualTo("id \"a\"\nline\u0001");
    assertThat(json.get("failures").get("MqSendException (outcome unknown)").asLong()).isEqualTo(3);
    assertThat(json.get("node").asText()).isEqualTo("node2");
    assertThat(json.get("skipped").isNull()).isTrue();
    assertThat(json.get("sendsResumeSeconds").asDouble()).isEqualTo(-1.0);
  }
}
