package io.unimq.cli;

import java.util.List;
import picocli.CommandLine.Parameters;

/** A command about one group of one topic: {@code TOPIC GROUP}. */
abstract class OnGroup extends Connected {
  @Parameters(index = "0", paramLabel = "TOPIC")
  String topic;

  @Parameters(index = "1", paramLabel = "GROUP")
  String group;

  /** One number about the group: {@code {"topic":..,"group":..,"<field>":n}}, or a one-row table. */
  int printNumber(String field, String column, long value) {
    if (common.json()) {
      out().println(Output.json(Output.object().put("topic", topic).put("group", group).put(field, value)));
      out().flush();
    } else {
      Output.table(out(), List.of("TOPIC", "GROUP", column), List.of(List.of(topic, group, Long.toString(value))));
    }
    return Unimq.OK;
  }
}
