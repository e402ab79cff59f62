package io.unimq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.testbrokers.TestBrokers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RabbitMQ has a password: the command line gets it from UNIMQ_PASSWORD or a file, never from the URI. */
class RabbitMqCliIT extends BrokerCliIT {
  @Override
  String uri() {
    return TestBrokers.rabbitmqUri();
  }

  /** The URI without its password; the password in UNIMQ_PASSWORD. */
  @Override
  Map<String, String> env() {
    return Map.of("UNIMQ_URI", uri().replaceFirst("//([^:/@]+):[^@/]*@", "//$1@"), "UNIMQ_PASSWORD", TestBrokers.rabbitmqPassword());
  }

  @Test
  void aWrongPasswordFromAFileIsAnAuthenticationErrorThatNeverShowsIt(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("password");
    Files.writeString(file, "not-the-password-9731\n");
    Cli.Result result = Cli.run(Map.of("UNIMQ_URI", env().get("UNIMQ_URI")), null,
        "lag", "cli-any", "cli-any", "--password-file", file.toString()).expect(Unimq.CONNECTION);
    assertThat(result.err()).contains("refused user", "wrong password or unknown user").doesNotContain("not-the-password-9731");
    assertThat(result.out()).isEmpty();
  }
}
