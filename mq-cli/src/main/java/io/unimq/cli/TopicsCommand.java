package io.unimq.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.unimq.api.MqClient;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code unimq topics}. */
@Command(name = "topics", mixinStandardHelpOptions = true,
    description = "The topics unimq made on the broker (declared or sent to), by name; not the adapter's internal ones.")
final class TopicsCommand extends Connected {
  @Override
  public Integer call() {
    try (MqClient client = common.connect()) {
      List<String> topics = client.admin().topics();
      if (common.json()) {
        ArrayNode array = Output.JSON.createArrayNode();
        topics.forEach(array::add);
        out().println(Output.json(Output.object().set("topics", array)));
        out().flush();
      } else {
        Output.table(out(), List.of("TOPIC"), topics.stream().map(List::of).toList());
      }
      return Unimq.OK;
    }
  }
}
