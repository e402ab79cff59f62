package io.unimq.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.unimq.api.DeadLetters;
import io.unimq.api.Message;
import io.unimq.api.MqClient;
import java.io.Console;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code unimq dlq count|peek|replay|purge TOPIC GROUP}. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
    description = {"The dead letters of GROUP on TOPIC: messages that failed every attempt of the group's retry policy.",
        "Each carries the failure headers unimq-dlq-original-topic, -group, -attempts, -first-failure, -last-failure,"
            + " -exception and -exception-message."},
    subcommands = {DlqCommand.Count.class, DlqCommand.Peek.class, DlqCommand.Replay.class, DlqCommand.Purge.class})
final class DlqCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: count, peek, replay or purge");
  }

  /** What every dlq command takes. */
  abstract static class Base extends OnGroup {
    @Override
    public Integer call() {
      try (MqClient client = common.connect()) {
        return call(client.deadLetters(topic, group));
      }
    }

    abstract int call(DeadLetters deadLetters);
  }

  @Command(name = "count", mixinStandardHelpOptions = true, description = "How many messages are dead-lettered.")
  static final class Count extends Base {
    @Override
    int call(DeadLetters deadLetters) {
      return printNumber("count", "DEAD LETTERS", deadLetters.count());
    }
  }

  @Command(name = "peek", mixinStandardHelpOptions = true,
      description = "Shows the oldest dead letters without removing them: id, key, headers (the failure headers"
          + " among them) and the body (a preview in a table, whole in JSON).")
  static final class Peek extends Base {
    @Option(names = {"-n", "--max"}, paramLabel = "N", defaultValue = "10", description = "At most N messages (default: ${DEFAULT-VALUE}).")
    int max;

    @Option(names = "--preview", paramLabel = "CHARS", defaultValue = "200",
        description = "Characters of each body shown in a table (default: ${DEFAULT-VALUE}).")
    int preview;

    @Override
    int call(DeadLetters deadLetters) {
      if (max < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--max must be at least 1, was " + max);
      }
      List<Message> dead = deadLetters.peek(max);
      if (common.json()) {
        ArrayNode array = Output.JSON.createArrayNode();
        dead.forEach(m -> array.add(Output.message(m)));
        out().println(Output.json(array));
        out().flush();
        return Unimq.OK;
      }
      if (dead.isEmpty()) {
        out().println("no dead letters in " + topic + "/" + group);
      }
      for (int i = 0; i < dead.size(); i++) {
        if (i > 0) {
          out().println();
        }
        Output.messageBlock(out(), dead.get(i), preview);
      }
      out().flush();
      return Unimq.OK;
    }
  }

  /** Replay and purge: confirmed, with a progress line while the broker works. */
  abstract static class Destructive extends Base {
    @Option(names = {"-y", "--yes"}, description = "Do it without asking (needed when not run from a terminal).")
    boolean yes;

    abstract String verb();

    abstract String question(long count);

    abstract long perform(DeadLetters deadLetters);

    @Override
    int call(DeadLetters deadLetters) {
      long count = deadLetters.count();
      if (count == 0) {
        return report(0);
      }
      if (!yes && !confirmed(count)) {
        throw new CliException(Unimq.NOT_CONFIRMED, verb() + " not confirmed" + (System.console() == null
            ? ": not run from a terminal, so add --yes to " + verb() + " the " + deadLetters(count) + " of " + topic + "/" + group
            : ""));
      }
      long done = Progress.run(err(), verb() + " " + deadLetters(count) + " of " + topic + "/" + group,
          () -> perform(deadLetters));
      return report(done);
    }

    static String deadLetters(long n) {
      return n + (n == 1 ? " dead letter" : " dead letters");
    }

    private boolean confirmed(long count) {
      Console console = System.console();
      if (console == null) {
        return false;
      }
      String answer = console.readLine("%s [y/N] ", question(count));
      return answer != null && List.of("y", "yes").contains(answer.trim().toLowerCase(Locale.ROOT));
    }

    private int report(long done) {
      String past = verb().equals("replay") ? "replayed" : "purged";
      if (common.json()) {
        out().println(Output.json(Output.object().put("topic", topic).put("group", group).put(past, done)));
      } else {
        out().println(past + " " + deadLetters(done) + " of " + topic + "/" + group
            + (verb().equals("replay") && done > 0 ? " (back to group " + group + ")" : ""));
      }
      out().flush();
      return Unimq.OK;
    }
  }

  @Command(name = "replay", mixinStandardHelpOptions = true,
      description = "Sends every dead letter back to GROUP (only that group) with its attempts reset, removing it"
          + " from the dead letters. Asks first unless --yes.")
  static final class Replay extends Destructive {
    @Override
    String verb() {
      return "replay";
    }

    @Override
    String question(long count) {
      return "Replay " + deadLetters(count) + " of " + topic + "/" + group + " back to group " + group + "?";
    }

    @Override
    long perform(DeadLetters deadLetters) {
      return deadLetters.replay();
    }
  }

  @Command(name = "purge", mixinStandardHelpOptions = true,
      description = "Deletes every dead letter of GROUP on TOPIC. Asks first unless --yes.")
  static final class Purge extends Destructive {
    @Override
    String verb() {
      return "purge";
    }

    @Override
    String question(long count) {
      return "Delete " + deadLetters(count) + " of " + topic + "/" + group + " for good?";
    }

    @Override
    long perform(DeadLetters deadLetters) {
      return deadLetters.purge();
    }
  }
}
