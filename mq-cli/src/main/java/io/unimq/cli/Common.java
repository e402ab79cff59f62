package io.unimq.cli;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command that connects shares: where to connect, how to print. */
final class Common {
  /** How results are printed. */
  enum Format { table, json }

  @Option(names = "--uri", paramLabel = "URI", defaultValue = "${env:UNIMQ_URI}",
      description = "Broker URI, for example redis://127.0.0.1:6379/0 (default: UNIMQ_URI). Give the password with"
          + " --password-file or UNIMQ_PASSWORD rather than here: a command line is visible to every user of the machine.")
  String uri;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "Read the broker password from FILE (first line). Overrides UNIMQ_PASSWORD.")
  Path passwordFile;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "table (for people, the default) or json (for scripts).")
  Format output;

  @Option(names = {"-v", "--verbose"}, description = "Log INFO messages of unimq and the broker client (by default unimq"
      + " logs warnings, the client errors only) and print stack traces of errors.")
  boolean verbose;

  private String password;
  private boolean passwordRead;

  boolean json() {
    return output == Format.json;
  }

  /** The password from --password-file or UNIMQ_PASSWORD, or null. */
  String password() {
    if (!passwordRead) {
      passwordRead = true;
      if (passwordFile != null) {
        try {
          String text = Files.readString(passwordFile, StandardCharsets.UTF_8);
          int end = text.indexOf('\n');
          password = (end < 0 ? text : text.substring(0, end)).replace("\r", "");
        } catch (IOException | RuntimeException e) {
          throw new CliException(Unimq.CONFIGURATION, "cannot read the password file " + passwordFile + ": "
              + e.getClass().getSimpleName() + "; give a readable file whose first line is the password", e);
        }
        if (password.isEmpty()) {
          throw new CliException(Unimq.CONFIGURATION, "the password file " + passwordFile + " is empty");
        }
      } else {
        String env = System.getenv("UNIMQ_PASSWORD");
        password = env == null || env.isEmpty() ? null : env;
      }
    }
    return password;
  }

  /** The URI to connect with, the password merged into its user info. */
  String effectiveUri() {
    if (uri == null || uri.isBlank()) {
      throw new CliException(Unimq.CONFIGURATION, "no broker URI: give --uri or set UNIMQ_URI, for example"
          + " --uri kafka://127.0.0.1:9092 (memory://name works for a demo within one command)");
    }
    String secret = password();
    return secret == null ? uri.trim() : Uris.withPassword(uri.trim(), secret);
  }

  /** Connects; the caller closes. */
  MqClient connect() {
    if (verbose) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
      Unimq.CLIENT_LOGGERS.forEach(logger -> System.setProperty("org.slf4j.simpleLogger.log." + logger, "info"));
    }
    return Mq.connect(effectiveUri());
  }

  /** The URI as it may be printed: no password. */
  String printableUri() {
    return uri == null ? "" : Uris.redact(uri);
  }
}
