package io.unimq.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unimq.api.GroupInfo;
import io.unimq.api.MqClient;
import java.io.Console;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code unimq groups TOPIC} and {@code unimq groups delete TOPIC GROUP}. */
@Command(name = "groups", mixinStandardHelpOptions = true,
    description = "The groups of TOPIC with their connected consumers (? where the broker does not tell) and lag.",
    subcommands = GroupsCommand.Delete.class)
final class GroupsCommand extends Connected {
  /** Optional for picocli, so that {@code groups delete ...} parses; required by {@link #call}. */
  @Parameters(index = "0", paramLabel = "TOPIC", arity = "0..1")
  String topic;

  @Override
  public Integer call() {
    if (topic == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'TOPIC'");
    }
    try (MqClient client = common.connect()) {
      List<GroupInfo> groups = client.admin().groups(topic);
      if (common.json()) {
        ArrayNode array = Output.JSON.createArrayNode();
        for (GroupInfo g : groups) {
          ObjectNode node = array.addObject().put("name", g.name());
          if (g.members() == GroupInfo.UNKNOWN) {
            node.putNull("members");
          } else {
            node.put("members", g.members());
          }
          node.put("lag", g.lag());
        }
        out().println(Output.json(Output.object().put("topic", topic).set("groups", array)));
        out().flush();
      } else {
        Output.table(out(), List.of("GROUP", "MEMBERS", "LAG"), groups.stream().map(g -> List.of(g.name(),
            g.members() == GroupInfo.UNKNOWN ? "?" : Integer.toString(g.members()), Long.toString(g.lag()))).toList());
      }
      return Unimq.OK;
    }
  }

  /** {@code unimq groups delete TOPIC GROUP}: confirmed unless {@code --yes}. */
  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Deletes GROUP of TOPIC: its position and the messages waiting for it (its dead letters stay)."
          + " Asks first unless --yes.")
  static final class Delete extends OnGroup {
    @Option(names = {"-y", "--yes"}, description = "Do it without asking (needed when not run from a terminal).")
    boolean yes;

    @Override
    public Integer call() {
      try (MqClient client = common.connect()) {
        GroupInfo found = client.admin().groups(topic).stream().filter(g -> g.name().equals(group)).findFirst().orElse(null);
        if (found != null) {
          if (!yes && !confirmed(found)) {
            throw new CliException(Unimq.NOT_CONFIRMED, "delete not confirmed" + (System.console() == null
                ? ": not run from a terminal, so add --yes to delete group " + group + " of " + topic : ""));
          }
          client.admin().deleteGroup(topic, group);
        }
        if (common.json()) {
          out().println(Output.json(Output.object().put("topic", topic).put("group", group).put("deleted", found != null)));
        } else {
          out().println(found != null ? "deleted group " + group + " of " + topic + " (" + found.lag() + " waiting message"
              + (found.lag() == 1 ? "" : "s") + " dropped)"
              : "no group " + group + " on " + topic + ": nothing deleted");
        }
        out().flush();
        return Unimq.OK;
      }
    }

    private boolean confirmed(GroupInfo g) {
      Console console = System.console();
      if (console == null) {
        return false;
      }
      String answer = console.readLine("Delete group %s of %s and its %d waiting messages? [y/N] ", group, topic, g.lag());
      return answer != null && List.of("y", "yes").contains(answer.trim().toLowerCase(Locale.ROOT));
    }
  }
}
