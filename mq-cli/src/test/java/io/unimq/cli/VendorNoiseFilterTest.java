package io.unimq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VendorNoiseFilterTest {
  @Test
  void dropsTheShadedSlf4jReportsAndKeepsEverythingElseIncludingAPartialProgressLine() {
    ByteArrayOutputStream target = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(new VendorNoiseFilter(target), true, StandardCharsets.UTF_8);
    err.println("SLF4J: No SLF4J providers were found.");
    err.println("unimq: cannot connect");
    err.print("replay 1 dead letter of t/g…");
    err.flush();
    assertThat(target.toString(StandardCharsets.UTF_8)).isEqualTo("unimq: cannot connect" + System.lineSeparator()
        + "replay 1 dead letter of t/g…");
    err.print("SLF4J: Defaulting");
    err.flush();
    err.println(" to no-operation (NOP) logger implementation");
    err.println(" done");
    assertThat(target.toString(StandardCharsets.UTF_8)).endsWith("t/g…" + " done" + System.lineSeparator());
  }
}
