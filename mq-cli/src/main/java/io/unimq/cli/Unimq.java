package io.unimq.cli;

import io.unimq.api.MqConfigurationException;
import io.unimq.api.MqConnectionException;
import io.unimq.api.MqInvalidMessageException;
import io.unimq.api.MqUnsupportedException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code unimq} command: {@code java -jar unimq.jar <command> ...}. Each run connects by URI,
 * does one thing and exits with one of the codes below.
 */
@Command(name = "unimq", mixinStandardHelpOptions = true, versionProvider = Unimq.Version.class,
    description = "Operate unimq on RabbitMQ, Kafka, Redis Streams, RocketMQ 5 or memory://, by URI.",
    subcommands = {TopicsCommand.class, GroupsCommand.class, LagCommand.class, DlqCommand.class, TailCommand.class, SendCommand.class,
        CommandLine.HelpCommand.class},
    footerHeading = "%nConnection:%n",
    footer = {
        "  --uri URI or UNIMQ_URI: kafka://127.0.0.1:9092, rabbitmq://ops@host:5672/%%2F,",
        "  redis://host:6379/0, rocketmq://proxy:8081?namesrv=host:9876, memory://demo.",
        "  The password: --password-file FILE or UNIMQ_PASSWORD, merged into the URI.",
        "  It is never printed: URIs in output and errors have their password masked.",
        "%nExit codes:",
        "  0    done",
        "  1    the broker failed the operation, or an unexpected error",
        "  2    usage: unknown command or option, bad argument, invalid name or header",
        "  3    configuration: no or bad URI, unknown scheme or parameter,",
        "       unreadable password file",
        "  4    connection: the broker cannot be reached or refused the credentials",
        "  5    unsupported: the broker's adapter lacks the capability",
        "  6    timeout: tail --max N ended by --timeout with fewer than N messages",
        "  7    not confirmed: replay or purge declined, or no --yes outside a terminal",
        "  130  interrupted by Ctrl-C (for tail the normal end: its output is complete)"})
public final class Unimq implements Runnable {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int CONFIGURATION = 3;
  static final int CONNECTION = 4;
  static final int UNSUPPORTED = 5;
  static final int TIMEOUT = 6;
  static final int NOT_CONFIRMED = 7;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.setErr(new java.io.PrintStream(new VendorNoiseFilter(new java.io.FileOutputStream(java.io.FileDescriptor.err)), true,
        java.nio.charset.StandardCharsets.UTF_8));
    System.exit(run(args));
  }

  /** Runs one command line and returns its exit code. */
  static int run(String... args) {
    quietLogging();
    CommandLine cli = new CommandLine(new Unimq());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExitCodeExceptionMapper(Unimq::exitCode);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      Common common = commonOf(commandLine);
      String text = Redactor.of(common).redact(describe(e));
      commandLine.getErr().println("unimq: " + text);
      if (common != null && common.verbose) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        commandLine.getErr().print(Redactor.of(common).redact(trace.toString()));
      }
      commandLine.getErr().flush();
      return exitCode(e);
    });
    return cli.execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is missing: topics, groups, lag, dlq, tail or send");
  }

  private static Common commonOf(CommandLine commandLine) {
    Object command = commandLine.getCommand();
    return command instanceof Connected c ? c.common : null;
  }

  static int exitCode(Throwable e) {
    if (e instanceof CliException c) {
      return c.exitCode();
    }
    if (e instanceof MqConfigurationException) {
      return CONFIGURATION;
    }
    if (e instanceof MqConnectionException) {
      return CONNECTION;
    }
    if (e instanceof MqUnsupportedException) {
      return UNSUPPORTED;
    }
    if (e instanceof MqInvalidMessageException || e instanceof CommandLine.ParameterException) {
      return USAGE;
    }
    return FAILED;
  }

  /** The message and, for a broker error, the causes that explain it. */
  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder(e.getMessage() == null ? e.getClass().getName() : e.getMessage());
    if (!(e instanceof CliException) && !(e instanceof io.unimq.api.MqException)) {
      text.insert(0, "unexpected " + e.getClass().getName() + ": ");
    }
    Throwable cause = e.getCause();
    for (int depth = 0; cause != null && cause != e && depth < 3; depth++, cause = cause.getCause()) {
      if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
        text.append("\n  caused by ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
      }
    }
    return text.toString();
  }

  /** The broker clients' own loggers, quiet below ERROR unless --verbose: the command reports their failures itself. */
  static final List<String> CLIENT_LOGGERS = List.of("org.apache.kafka", "com.rabbitmq", "io.lettuce", "io.netty",
      "org.apache.rocketmq");

  /** unimq logs WARN and above, the broker clients ERROR, to stderr, unless the user configured slf4j-simple. */
  private static void quietLogging() {
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    for (String logger : CLIENT_LOGGERS) {
      setIfAbsent("org.slf4j.simpleLogger.log." + logger, "error");
    }
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Unimq.class.getPackage().getImplementationVersion();
      return new String[] {"unimq " + (version == null ? "(development build)" : version)};
    }
  }
}
