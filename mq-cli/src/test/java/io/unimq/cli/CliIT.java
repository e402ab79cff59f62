package io.unimq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The jar and its launcher as processes, on what needs no broker. */
class CliIT {
  @Test
  void aBadUriIsAConfigurationErrorWhoseMessageHidesThePassword() {
    Cli.Result unknownParameter = Cli.run(Map.of(), null, "lag", "orders", "billing",
        "--uri", "rabbitmq://ops:s3cret-pw-4411@127.0.0.1:5673/%2F?nosuch=1").expect(Unimq.CONFIGURATION);
    assertThat(unknownParameter.err()).contains("unknown parameter 'nosuch'").doesNotContain("s3cret-pw-4411");

    Cli.Result malformed = Cli.run(Map.of("UNIMQ_URI", "redis://ops:s3cret-pw-4411@127.0.0.1:notaport/0"), null,
        "dlq", "count", "orders", "billing").expect(Unimq.CONFIGURATION);
    assertThat(malformed.err()).contains("redis://ops:****@127.0.0.1:notaport/0").doesNotContain("s3cret-pw-4411");
  }

  @Test
  void theLauncherScriptRunsTheJarAndSendsStandardInputOnMemory() {
    String launcher = System.getProperty("unimq.cli.launcher");
    Cli.Result sent = Cli.start(List.of("sh", launcher, "send", "--uri", "memory://demo", "orders", "--output", "json"),
        Map.of("UNIMQ_JAR", Cli.jar().toString()), "body from stdin").await().expect(0);
    assertThat(Cli.json(sent.out()).get("topic").asText()).isEqualTo("orders");
    assertThat(Cli.json(sent.out()).get("id").asText()).isNotBlank();
  }
}
