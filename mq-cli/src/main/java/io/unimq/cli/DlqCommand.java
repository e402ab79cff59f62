package io.unimq.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.unimq.api.DeadLetterSelection;
import io.unimq.api.DeadLetters;
import io.unimq.api.Message;
import io.unimq.api.MqClient;
import java.io.Console;
import java.util.ArrayList;
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
      description = {"Shows the oldest dead letters without removing them: id, key, headers (the failure headers"
          + " among them) and the body (a preview in a table, whole in JSON).",
          "When there are more, prints the cursor of the next page: pass it as --cursor to see them."})
  static final class Peek extends Base {
    @Option(names = {"-n", "--max"}, paramLabel = "N", defaultValue = "10", description = "At most N messages (default: ${DEFAULT-VALUE}).")
    int max;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "Start after this cursor (printed by the previous peek).")
    String cursor;

    @Option(names = "--preview", paramLabel = "CHARS", defaultValue = "200",
        description = "Characters of each body shown in a table (default: ${DEFAULT-VALUE}).")
    int preview;

    @Override
    int call(DeadLetters deadLetters) {
      if (max < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--max must be at least 1, was " + max);
      }
      DeadLetters.Page page = deadLetters.page(cursor, max);
      List<Message> dead = page.messages();
      if (common.json()) {
        ArrayNode array = Output.JSON.createArrayNode();
        dead.forEach(m -> array.add(Output.message(m)));
        out().println(Output.json(Output.object().<com.fasterxml.jackson.databind.node.ObjectNode>set("messages", array)
            .put("next", page.next())));
        out().flush();
        return Unimq.OK;
      }
      if (dead.isEmpty()) {
        out().println(cursor == null ? "no dead letters in " + topic + "/" + group : "no more dead letters in " + topic + "/" + group);
      }
      for (int i = 0; i < dead.size(); i++) {
        if (i > 0) {
          out().println();
        }
        Output.messageBlock(out(), dead.get(i), preview);
      }
      if (page.next() != null) {
        out().println();
        out().println("more: unimq dlq peek " + topic + " " + group + " --cursor " + page.next());
      }
      out().flush();
      return Unimq.OK;
    }
  }

  /** Replay and purge: confirmed, with a progress line while the broker works. */
  abstract static class Destructive extends Base {
    @Option(names = {"-y", "--yes"}, description = "Do it without asking (needed when not run from a terminal).")
    boolean yes;

    @Option(names = "--id", paramLabel = "ID", description = "Only the dead letter with this message id (repeatable: any of them).")
    List<String> ids = new ArrayList<>();

    @Option(names = "--header", paramLabel = "NAME=VALUE",
        description = "Only dead letters with this header value (repeatable: all must match).")
    List<String> headers = new ArrayList<>();

    @Option(names = "--oldest", paramLabel = "N", description = "Only the N oldest (of those the other options select).")
    Long oldest;

    abstract String verb();

    abstract String question(String what);

    abstract long perform(DeadLetters deadLetters, DeadLetterSelection selection, DeadLetters.Progress progress);

    /** The selection the options give, or null for every dead letter. */
    DeadLetterSelection selection() {
      DeadLetterSelection s = DeadLetterSelection.all();
      if (!ids.isEmpty()) {
        s = s.and(DeadLetterSelection.ids(ids));
      }
      for (String h : headers) {
        int eq = h.indexOf('=');
        if (eq < 1) {
          throw new CommandLine.ParameterException(spec.commandLine(), "--header takes NAME=VALUE, was '" + h + "'");
        }
        s = s.and(DeadLetterSelection.header(h.substring(0, eq), h.substring(eq + 1)));
      }
      if (oldest != null) {
        if (oldest < 1) {
          throw new CommandLine.ParameterException(spec.commandLine(), "--oldest must be at least 1, was " + oldest);
        }
        s = s.limit(oldest);
      }
      return s.isAll() ? null : s;
    }

    @Override
    int call(DeadLetters deadLetters) {
      DeadLetterSelection selection = selection();
      long count = deadLetters.count();
      if (count == 0) {
        return report(0);
      }
      String what = selection == null ? deadLetters(count) + " of " + topic + "/" + group
          : "the dead letters of " + topic + "/" + group + " selected by " + selection + " (of " + deadLetters(count) + ")";
      if (!yes && !confirmed(what)) {
        throw new CliException(Unimq.NOT_CONFIRMED, verb() + " not confirmed" + (System.console() == null
            ? ": not run from a terminal, so add --yes to " + verb() + " " + (selection == null ? "the " : "") + what
            : ""));
      }
      long done = Progress.run(err(), verb() + " " + what,
          bar -> perform(deadLetters, selection == null ? DeadLetterSelection.all() : selection, bar));
      return report(done);
    }

    static String deadLetters(long n) {
      return n + (n == 1 ? " dead letter" : " dead letters");
    }

    private boolean confirmed(String what) {
      Console console = System.console();
      if (console == null) {
        return false;
      }
      String answer = console.readLine("%s [y/N] ", question(what));
      return answer != null && List.of("y", "yes").contains(answer.trim().toLowerCase(Locale.ROOT));
    }

    /** Where a replay sends, for the report; null for a purge. */
    String destination() {
      return null;
    }

    private int report(long done) {
      String past = verb().equals("replay") ? "replayed" : "purged";
      if (common.json()) {
        var o = Output.object().put("topic", topic).put("group", group).put(past, done);
        if (destination() != null) {
          o.put("to", destination());
        }
        out().println(Output.json(o));
      } else {
        out().println(past + " " + deadLetters(done) + " of " + topic + "/" + group
            + (destination() != null && done > 0 ? " (" + destination() + ")" : ""));
      }
      out().flush();
      return Unimq.OK;
    }
  }

  @Command(name = "replay", mixinStandardHelpOptions = true,
      description = {"Sends the dead letters (every one, or those --id, --header and --oldest select) back to GROUP"
          + " (only that group) with their attempts reset, or with --to to another topic, removing them from the dead"
          + " letters. Asks first unless --yes."})
  static final class Replay extends Destructive {
    @Option(names = "--to", paramLabel = "TOPIC", description = "Publish them to TOPIC (all its groups) instead of back to GROUP.")
    String to;

    @Override
    String verb() {
      return "replay";
    }

    @Override
    String destination() {
      return to == null ? "back to group " + group : "to topic " + to;
    }

    @Override
    String question(String what) {
      return "Replay " + what + " " + destination() + "?";
    }

    @Override
    long perform(DeadLetters deadLetters, DeadLetterSelection selection, DeadLetters.Progress progress) {
      return to == null ? deadLetters.replay(selection, progress) : deadLetters.replayTo(to, selection, progress);
    }
  }

  @Command(name = "purge", mixinStandardHelpOptions = true,
      description = "Deletes the dead letters of GROUP on TOPIC (every one, or those --id, --header and --oldest select)."
          + " Asks first unless --yes.")
  static final class Purge extends Destructive {
    @Override
    String verb() {
      return "purge";
    }

    @Override
    String question(String what) {
      return "Delete " + what + " for good?";
    }

    @Override
    long perform(DeadLetters deadLetters, DeadLetterSelection selection, DeadLetters.Progress progress) {
      return deadLetters.purge(selection, progress);
    }
  }
}
