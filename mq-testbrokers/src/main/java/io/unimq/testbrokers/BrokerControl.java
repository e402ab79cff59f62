package io.unimq.testbrokers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Fault hooks for tests: runs {@code scripts/brokers} and waits for it. Each method returns when the
 * script has finished (for {@link #up} and {@link #restart}: when the broker answers again) and throws
 * {@link IllegalStateException} with the script's output when it fails.
 *
 * <p>The script is {@code UNIMQ_BROKERS_SCRIPT} (or system property {@code unimq.brokers.script}), else
 * {@code scripts/brokers} found by walking up from the working directory. Thread-safe, but the brokers
 * are shared: tests that break one should not run in parallel with tests that use it.
 */
public final class BrokerControl {
    /** Broker names that the script knows. */
    public static final Set<String> BROKERS = Set.of("rabbitmq", "kafka", "rocketmq", "redis", "postgres");

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private BrokerControl() {
    }

    /** Starts the broker unless it already answers. */
    public static void up(String name) {
        run("up", checked(name));
    }

    /** Stops the broker cleanly and starts it again; returns when it answers. */
    public static void restart(String name) {
        run("restart", checked(name));
    }

    /** SIGKILLs the broker's processes; {@link #up} starts it again. */
    public static void kill(String name) {
        run("kill", checked(name));
    }

    /** SIGSTOPs the broker: connections stay open but nothing is answered until {@link #resume}. */
    public static void pause(String name) {
        run("pause", checked(name));
    }

    /** SIGCONTs a paused broker. */
    public static void resume(String name) {
        run("resume", checked(name));
    }

    /** Runs {@code scripts/brokers} with the given arguments and returns its output. */
    public static String run(String... args) {
        Path script = script();
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(List.of(args));
        Path output = null;
        try {
            // output into a file, not a pipe: the daemons the script starts must never hold our pipe open
            output = Files.createTempFile("unimq-brokers", ".out");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + TIMEOUT
                        + ":\n" + Files.readString(output, StandardCharsets.UTF_8));
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue()
                        + "):\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /** The {@code scripts/brokers} executable. */
    public static Path script() {
        String configured = TestBrokers.setting(TestBrokers.BROKERS_SCRIPT, "");
        if (!configured.isEmpty()) {
            Path path = Paths.get(configured);
            if (!Files.isExecutable(path)) {
                throw new IllegalStateException(TestBrokers.BROKERS_SCRIPT + "=" + configured + " is not executable");
            }
            return path;
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("scripts").resolve("brokers");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("scripts/brokers not found above " + Paths.get("").toAbsolutePath()
                + "; set " + TestBrokers.BROKERS_SCRIPT);
    }

    private static String checked(String name) {
        if (!BROKERS.contains(name)) {
            throw new IllegalArgumentException("unknown broker '" + name + "', known: " + BROKERS);
        }
        return name;
    }
}
