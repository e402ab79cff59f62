package io.unimq.testbrokers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where the local test brokers are. Each address is read from an environment variable, then from the
 * system property of the same name in lower case with dots ({@code UNIMQ_REDIS_URI} becomes
 * {@code unimq.redis.uri}), then built from {@code scripts/brokers.env}, the one file that defines the
 * test brokers' ports and credentials (found next to {@code UNIMQ_BROKERS_SCRIPT}, or in
 * {@code scripts/} of the working directory or one of its parents). {@code scripts/brokers env} prints
 * the same addresses as environment variables.
 *
 * <p>Stateless and thread-safe.
 */
public final class TestBrokers {
    public static final String REDIS_URI = "UNIMQ_REDIS_URI";
    public static final String RABBITMQ_URI = "UNIMQ_RABBITMQ_URI";
    public static final String KAFKA_URI = "UNIMQ_KAFKA_URI";
    public static final String ROCKETMQ_URI = "UNIMQ_ROCKETMQ_URI";
    public static final String POSTGRES_JDBC = "UNIMQ_POSTGRES_JDBC";
    public static final String POSTGRES_USER = "UNIMQ_POSTGRES_USER";
    public static final String POSTGRES_PASSWORD = "UNIMQ_POSTGRES_PASSWORD";
    public static final String BROKERS_SCRIPT = "UNIMQ_BROKERS_SCRIPT";
    /** The file that defines the brokers' ports, relative to the repository root. */
    public static final String BROKERS_ENV = "scripts/brokers.env";

    private static final String HOST = "127.0.0.1";

    private TestBrokers() {
    }

    /** {@code redis://127.0.0.1:<REDIS_PORT>/0} unless configured. */
    public static String redisUri() {
        return setting(REDIS_URI, () -> "redis://" + HOST + ":" + env("REDIS_PORT") + "/0");
    }

    /**
     * {@code rabbitmq://<user>:<pass>@127.0.0.1:<RABBITMQ_PORT>/%2F?managementPort=<RABBITMQ_MGMT_PORT>}
     * unless configured. The management port lets lag count unacknowledged messages too.
     */
    public static String rabbitmqUri() {
        return setting(RABBITMQ_URI, () -> "rabbitmq://" + env("RABBITMQ_USER") + ":" + env("RABBITMQ_PASS") + "@" + HOST
                + ":" + env("RABBITMQ_PORT") + "/%2F?managementPort=" + env("RABBITMQ_MGMT_PORT"));
    }

    /** {@code kafka://127.0.0.1:<KAFKA_PORT>} unless configured. */
    public static String kafkaUri() {
        return setting(KAFKA_URI, () -> "kafka://" + HOST + ":" + env("KAFKA_PORT"));
    }

    /** {@code rocketmq://127.0.0.1:<ROCKETMQ_PROXY_GRPC_PORT>?namesrv=127.0.0.1:<ROCKETMQ_NAMESRV_PORT>} unless configured. */
    public static String rocketmqUri() {
        return setting(ROCKETMQ_URI, () -> "rocketmq://" + HOST + ":" + env("ROCKETMQ_PROXY_GRPC_PORT") + "?namesrv=" + HOST
                + ":" + env("ROCKETMQ_NAMESRV_PORT"));
    }

    /** {@code jdbc:postgresql://127.0.0.1:<POSTGRES_PORT>/<POSTGRES_DB>} unless configured. */
    public static String postgresJdbc() {
        return setting(POSTGRES_JDBC, () -> "jdbc:postgresql://" + HOST + ":" + env("POSTGRES_PORT") + "/" + env("POSTGRES_DB"));
    }

    public static String postgresUser() {
        return setting(POSTGRES_USER, () -> env("POSTGRES_USER"));
    }

    public static String postgresPassword() {
        return setting(POSTGRES_PASSWORD, () -> env("POSTGRES_PASS"));
    }

    /** {@code host:port} of Redis, e.g. {@code 127.0.0.1:16379}. */
    public static String redisHostPort() {
        return hostPort(redisUri());
    }

    public static String redisHost() {
        return host(redisHostPort());
    }

    public static int redisPort() {
        return port(redisHostPort());
    }

    /** Kafka's {@code bootstrap.servers}, e.g. {@code 127.0.0.1:19092}. */
    public static String kafkaBootstrap() {
        return hostPort(kafkaUri());
    }

    /** The RocketMQ proxy's gRPC endpoint for rocketmq-client-java, e.g. {@code 127.0.0.1:18081}. */
    public static String rocketmqProxy() {
        return hostPort(rocketmqUri());
    }

    /** The RocketMQ name server, e.g. {@code 127.0.0.1:19876}, for admin tools. */
    public static String rocketmqNamesrv() {
        String uri = rocketmqUri();
        String namesrv = parameter(uri, "namesrv");
        if (namesrv != null) {
            return namesrv;
        }
        throw new IllegalStateException(ROCKETMQ_URI + " has no namesrv parameter: " + uri);
    }

    public static String rabbitmqHost() {
        return host(hostPort(rabbitmqUri()));
    }

    public static int rabbitmqPort() {
        return port(hostPort(rabbitmqUri()));
    }

    public static String rabbitmqUser() {
        return decode(userInfo(rabbitmqUri())[0]);
    }

    public static String rabbitmqPassword() {
        String[] userInfo = userInfo(rabbitmqUri());
        return userInfo.length > 1 ? decode(userInfo[1]) : "";
    }

    /** The virtual host, decoded: {@code /} for {@code %2F}. */
    public static String rabbitmqVirtualHost() {
        String rest = afterAuthority(rabbitmqUri());
        String path = rest.startsWith("/") ? rest.substring(1).split("\\?", 2)[0] : "";
        return path.isEmpty() ? "/" : decode(path);
    }

    /**
     * The RabbitMQ management HTTP port: the {@code managementPort} parameter of {@link #rabbitmqUri()},
     * else {@code RABBITMQ_MGMT_PORT} of {@code scripts/brokers.env}.
     */
    public static int rabbitmqManagementPort() {
        String port = parameter(rabbitmqUri(), "managementPort");
        return Integer.parseInt(port != null ? port : env("RABBITMQ_MGMT_PORT"));
    }

    static String setting(String name, String defaultValue) {
        return setting(name, () -> defaultValue);
    }

    static String setting(String name, Supplier<String> defaultValue) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            value = System.getProperty(propertyName(name));
        }
        return value == null || value.isBlank() ? defaultValue.get() : value.trim();
    }

    /** A value of {@code scripts/brokers.env}, e.g. {@code env("REDIS_PORT")} is {@code "16379"}. */
    public static String env(String key) {
        String value = BrokersEnv.VALUES.get(key);
        if (value == null) {
            throw new IllegalStateException(key + " is not defined in " + BrokersEnv.FILE);
        }
        return value;
    }

    /** Where {@code scripts/brokers.env} is: next to the configured script, else above the working directory. */
    static Path brokersEnvFile() {
        String script = setting(BROKERS_SCRIPT, "");
        if (!script.isEmpty()) {
            Path sibling = Paths.get(script).toAbsolutePath().resolveSibling("brokers.env");
            if (Files.isRegularFile(sibling)) {
                return sibling;
            }
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(BROKERS_ENV);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no " + BROKERS_ENV + " in " + Paths.get("").toAbsolutePath()
                + " or its parents, and no broker address configured: run inside the unimq repository, or set the"
                + " UNIMQ_* variables that `scripts/brokers env` prints");
    }

    /** {@code KEY=VALUE} lines; {@code #} starts a comment. */
    static Map<String, String> parseEnv(List<String> lines) {
        Map<String, String> values = new HashMap<>();
        for (String line : lines) {
            int hash = line.indexOf('#');
            String text = (hash >= 0 ? line.substring(0, hash) : line).trim();
            int eq = text.indexOf('=');
            if (eq > 0) {
                values.put(text.substring(0, eq).trim(), text.substring(eq + 1).trim());
            }
        }
        return Map.copyOf(values);
    }

    /** Read once, on first use of a default. */
    private static final class BrokersEnv {
        static final Path FILE = brokersEnvFile();
        static final Map<String, String> VALUES = read(FILE);

        private static Map<String, String> read(Path file) {
            try {
                return parseEnv(Files.readAllLines(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
    }

    private static String parameter(String uri, String name) {
        int q = uri.indexOf('?');
        if (q >= 0) {
            for (String pair : uri.substring(q + 1).split("&")) {
                if (pair.startsWith(name + "=")) {
                    return decode(pair.substring(name.length() + 1));
                }
            }
        }
        return null;
    }

    /** {@code UNIMQ_REDIS_URI} → {@code unimq.redis.uri}. */
    static String propertyName(String envName) {
        return envName.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** Everything between {@code scheme://} and the first {@code /} or {@code ?}, user info included. */
    private static String rawAuthority(String uri) {
        int start = uri.indexOf("://");
        if (start < 0) {
            throw new IllegalArgumentException("not a URI with an authority: " + uri);
        }
        start += 3;
        int end = start;
        while (end < uri.length() && uri.charAt(end) != '/' && uri.charAt(end) != '?') {
            end++;
        }
        return uri.substring(start, end);
    }

    private static String afterAuthority(String uri) {
        return uri.substring(uri.indexOf("://") + 3 + rawAuthority(uri).length());
    }

    /** {@code host:port} (or a comma-separated list of them), without user info. */
    private static String hostPort(String uri) {
        String authority = rawAuthority(uri);
        return authority.substring(authority.lastIndexOf('@') + 1);
    }

    private static String[] userInfo(String uri) {
        String authority = rawAuthority(uri);
        int at = authority.lastIndexOf('@');
        if (at < 0) {
            throw new IllegalStateException("no user in " + uri);
        }
        return authority.substring(0, at).split(":", 2);
    }

    private static String host(String hostPort) {
        return hostPort.substring(0, hostPort.lastIndexOf(':'));
    }

    private static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
