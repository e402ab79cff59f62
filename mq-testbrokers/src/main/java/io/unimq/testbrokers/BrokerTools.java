package io.unimq.testbrokers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The brokers' own command-line tools ({@code kcat}, {@code rabbitmqadmin}, {@code redis-cli},
 * RocketMQ's {@code mqadmin}), as {@code scripts/brokers up} installs them, for tests that check what
 * native tools see. Stateless and thread-safe.
 */
public final class BrokerTools {
    private static final long TIMEOUT_SECONDS = 120;

    private BrokerTools() {}

    /**
     * Runs {@code command} with {@code stdin} as its input and returns what it printed (stdout and
     * stderr, UTF-8).
     *
     * @throws IllegalStateException when it exits with a non-zero status or runs past two minutes,
     *     naming the command and its output
     */
    public static String run(String stdin, List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " still running after " + TIMEOUT_SECONDS + " s: " + out);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(command + " exited with " + p.exitValue() + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command + " (is it installed? scripts/brokers up installs it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** {@code command} followed by {@code args}, run without input. */
    public static String run(List<String> command, String... args) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(args));
        return run("", all);
    }

    /** {@code redis-cli --raw} against the test Redis. */
    public static List<String> redisCli() {
        return List.of("redis-cli", "--raw", "-h", TestBrokers.redisHost(), "-p", Integer.toString(TestBrokers.redisPort()));
    }

    /** {@code rabbitmqadmin} against the test RabbitMQ's management API. */
    public static List<String> rabbitmqadmin() {
        return List.of("rabbitmqadmin", "-H", TestBrokers.rabbitmqHost(), "-P", Integer.toString(TestBrokers.rabbitmqManagementPort()),
            "-u", TestBrokers.rabbitmqUser(), "-p", TestBrokers.rabbitmqPassword(), "-V", TestBrokers.rabbitmqVirtualHost());
    }

    /** {@code kcat} against the test Kafka. */
    public static List<String> kcat() {
        return List.of("kcat", "-b", TestBrokers.kafkaBootstrap());
    }

    /**
     * RocketMQ's {@code mqadmin}: its main class on the broker jars the launcher fetched
     * ({@code .brokers/lib/rocketmq} beside {@code scripts/}), run by this JVM's java. Give the
     * subcommand and its options, then {@code -n} and {@link TestBrokers#rocketmqNamesrv()}.
     */
    public static List<String> mqadmin() {
        Path lib = TestBrokers.brokersEnvFile().toAbsolutePath().getParent().getParent().resolve(".brokers/lib/rocketmq");
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", lib + "/*",
            "org.apache.rocketmq.tools.command.MQAdminStartup");
    }
}
