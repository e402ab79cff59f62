package io.unimq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** Runs the built jar ({@code target/unimq.jar}) as a process, as a user would. */
final class Cli {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration LIMIT = Duration.ofSeconds(120);

  private Cli() {}

  static Path jar() {
    Path jar = Path.of(System.getProperty("unimq.cli.jar", "target/unimq.jar"));
    assertThat(jar).as("the runnable jar, built in the package phase").exists();
    return jar;
  }

  static List<String> command(String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-jar", jar().toString()));
    command.addAll(List.of(args));
    return command;
  }

  /** Runs to the end, with {@code env} on top of a clean UNIMQ_* environment; stdin is {@code input} or empty. */
  static Result run(Map<String, String> env, String input, String... args) {
    return start(command(args), env, input).await();
  }

  static Running start(List<String> command, Map<String, String> env, String input) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("UNIMQ_URI");
    builder.environment().remove("UNIMQ_PASSWORD");
    builder.environment().putAll(env);
    try {
      Path stdin = Files.createTempFile("unimq-stdin", ".txt");
      Files.writeString(stdin, input == null ? "" : input);
      stdin.toFile().deleteOnExit();
      builder.redirectInput(stdin.toFile());
      return new Running(builder.start(), String.join(" ", command.subList(command.indexOf("-jar") + 2, command.size())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Running tail(Map<String, String> env, String... args) {
    List<String> all = new ArrayList<>(List.of("tail"));
    all.addAll(List.of(args));
    return start(command(all.toArray(String[]::new)), env, null);
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  /** A finished run. */
  record Result(String command, int exitCode, String out, String err) {
    Result expect(int code) {
      assertThat(exitCode).as("exit code of 'unimq %s'%nstdout: %s%nstderr: %s", command, out, err).isEqualTo(code);
      return this;
    }

    JsonNode json() {
      return Cli.json(out);
    }
  }

  /** A running process whose output is collected as it comes. */
  static final class Running {
    private final Process process;
    private final String command;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Thread outReader;
    private final Thread errReader;

    Running(Process process, String command) {
      this.process = process;
      this.command = command;
      this.outReader = copy(process.getInputStream(), out);
      this.errReader = copy(process.getErrorStream(), err);
    }

    private static Thread copy(InputStream in, ByteArrayOutputStream to) {
      Thread t = new Thread(() -> {
        byte[] buffer = new byte[8192];
        try {
          for (int n; (n = in.read(buffer)) >= 0; ) {
            synchronized (to) {
              to.write(buffer, 0, n);
            }
          }
        } catch (IOException ignored) {
          // the process ended
        }
      });
      t.setDaemon(true);
      t.start();
      return t;
    }

    String err() {
      synchronized (err) {
        return err.toString(StandardCharsets.UTF_8);
      }
    }

    /** Waits until stderr contains {@code text}; fails with the output if the process ends first. */
    void awaitErr(String text) {
      Awaitility.await().atMost(LIMIT).pollInterval(Duration.ofMillis(100)).until(() -> {
        if (err().contains(text)) {
          return true;
        }
        if (!process.isAlive()) {
          Result ended = await();
          throw new AssertionError("'unimq " + command + "' ended with " + ended.exitCode() + " before printing '" + text
              + "'; stdout: " + ended.out() + "; stderr: " + ended.err());
        }
        return false;
      });
    }

    Result await() {
      try {
        if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("'unimq " + command + "' still running after " + LIMIT + "; stderr: " + err());
        }
        outReader.join(5000);
        errReader.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      synchronized (out) {
        return new Result(command, process.exitValue(), out.toString(StandardCharsets.UTF_8), err());
      }
    }
  }
}
