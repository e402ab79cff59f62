package io.unimq.testbrokers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
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
 * are shared: tests that break one should not run in parallel with tests that use it. When
 * {@code UNIMQ_BROKER_FAULT_LOG} (or system property {@code unimq.broker.fault.log}) names a file,
 * each fault hook appends a line to it before and after running, with the time, the broker and the
 * test that asked, so that people sharing the brokers can tell a fault from a defect.
 */
public final class BrokerControl {
    /** Broker names that the script knows. */
    public static final Set<String> BROKERS = Set.of("rabbitmq", "kafka", "rocketmq", "redis", "postgres");
    /**
     * Small-disk topologies: one broker of each kind on ports of its own ({@code *_SMALL_DISK_*} in
     * {@code scripts/brokers.env}) whose state is on a tmpfs of its own, for the disk-full fault.
     */
    public static final Set<String> SMALL_DISKS = Set.of("redis-small-disk", "rabbitmq-small-disk", "kafka-small-disk",
            "rocketmq-small-disk");

    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    /** A file each fault hook appends a line to, before and after; unset = no log. */
    public static final String FAULT_LOG = "UNIMQ_BROKER_FAULT_LOG";

    private BrokerControl() {
    }

    /** Starts the broker unless it already answers. */
    public static void up(String name) {
        logged("up", checked(name));
    }

    /** Stops the broker cleanly and starts it again; returns when it answers. */
    public static void restart(String name) {
        logged("restart", checked(name));
    }

    /**
     * {@link #restart}, and when the broker does not answer within the script's wait (a slow start,
     * such as a large data set loading), {@link #up} once more, which waits again.
     */
    public static void restartPatiently(String name) {
        try {
            restart(name);
        } catch (IllegalStateException e) {
            up(name);
        }
    }

    /** {@link #up}, and once more when the broker does not answer within the script's wait. */
    public static void upPatiently(String name) {
        try {
            up(name);
        } catch (IllegalStateException e) {
            up(name);
        }
    }

    /** Starts a small-disk topology (mounting its disk) unless it already answers. */
    public static void upSmallDisk(String smallDisk) {
        logged("up", smallDisk(smallDisk));
    }

    /** Stops a small-disk topology and unmounts its disk. */
    public static void downSmallDisk(String smallDisk) {
        logged("down", smallDisk(smallDisk));
    }

    /** Fills the disk of a small-disk topology, leaving what makes its broker see a full disk. */
    public static void fill(String smallDisk) {
        logged("fill", smallDisk(smallDisk));
    }

    /** Frees the disk of a small-disk topology; returns when its broker answers (started again if the full disk stopped it). */
    public static void unfill(String smallDisk) {
        logged("unfill", smallDisk(smallDisk));
    }

    /** SIGKILLs the broker's processes; {@link #up} starts it again. */
    public static void kill(String name) {
        logged("kill", checked(name));
    }

    /** SIGSTOPs the broker: connections stay open but nothing is answered until {@link #resume}. */
    public static void pause(String name) {
        logged("pause", checked(name));
    }

    /** SIGCONTs a paused broker. */
    public static void resume(String name) {
        logged("resume", checked(name));
    }

    private static void logged(String verb, String name) {
        String caller = StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !f.getClassName().startsWith(BrokerControl.class.getName()))
                .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName())
                .findFirst().orElse("?"));
        faultLog(name + ", " + verb + " via " + caller + ": begins");
        long start = System.nanoTime();
        String outcome = "failed";
        try {
            run(verb, name);
            outcome = "done";
        } finally {
            faultLog(name + ", " + verb + " via " + caller + ": " + outcome + " after "
                    + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
    }

    private static synchronized void faultLog(String line) {
        String file = TestBrokers.setting(FAULT_LOG, "");
        if (file.isEmpty()) {
            return;
        }
        try {
            Files.writeString(Paths.get(file), java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    + ", " + line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the log is a courtesy to people sharing the brokers; the fault itself goes ahead
        }
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

    private static String smallDisk(String name) {
        if (!SMALL_DISKS.contains(name)) {
            throw new IllegalArgumentException("unknown small-disk topology '" + name + "', known: " + SMALL_DISKS);
        }
        return name;
    }

    private static String checked(String name) {
        if (!BROKERS.contains(name)) {
            throw new IllegalArgumentException("unknown broker '" + name + "', known: " + BROKERS);
        }
        return name;
    }
}
