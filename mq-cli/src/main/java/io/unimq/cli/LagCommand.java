package io.unimq.cli;

import io.unimq.api.MqClient;
import picocli.CommandLine.Command;

/** {@code unimq lag TOPIC GROUP}. */
@Command(name = "lag", mixinStandardHelpOptions = true,
    description = "Messages published to TOPIC and not yet acked by GROUP (waiting plus in flight).")
final class LagCommand extends OnGroup {
  @Override
  public Integer call() {
    try (MqClient client = common.connect()) {
      return printNumber("lag", "LAG", client.admin().lag(topic, group));
    }
  }
}
