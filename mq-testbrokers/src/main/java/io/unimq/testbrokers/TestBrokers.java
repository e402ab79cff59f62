package io.unimq.testbrokers;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Where the local test brokers are. Each address is read from an environment variable, then from the
 * system property of the same name in lower case with dots ({@code UNIMQ_REDIS_URI} becomes
 * {@code unimq.redis.uri}), then falls back to the defaults that {@code scripts/brokers} uses
 * (ports from {@code scripts/brokers.env}; {@code scripts/brokers env} prints them).
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

    private TestBrokers() {
    }

    /** {@code redis://127.0.0.1:16379/0} unless configured. */
    public static String redisUri() {
        return setting(REDIS_URI, "redis://127.0.0.1:16379/0");
    }

    /** {@code rabbitmq://unimq:unimq@127.0.0.1:5673/%2F} unless configured. */
    public static String rabbitmqUri() {
        return setting(RABBITMQ_URI, "rabbitmq://unimq:unimq@127.0.0.1:5673/%2F");
    }

    /** {@code kafka://127.0.0.1:19092} unless configured. */
    public static String kafkaUri() {
        return setting(KAFKA_URI, "kafka://127.0.0.1:19092");
    }

    /** {@code rocketmq://127.0.0.1:18081?namesrv=127.0.0.1:19876} (the proxy's gRPC port) unless configured. */
    public static String rocketmqUri() {
        return setting(ROCKETMQ_URI, "rocketmq://127.0.0.1:18081?namesrv=127.0.0.1:19876");
    }

    /** {@code jdbc:postgresql://127.0.0.1:15432/unimq} unless configured. */
    public static String postgresJdbc() {
        return setting(POSTGRES_JDBC, "jdbc:postgresql://127.0.0.1:15432/unimq");
    }

    public static String postgresUser() {
        return setting(POSTGRES_USER, "unimq");
    }

    public static String postgresPassword() {
        return setting(POSTGRES_PASSWORD, "unimq");
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
        int q = uri.indexOf('?');
        if (q >= 0) {
            for (String pair : uri.substring(q + 1).split("&")) {
                if (pair.startsWith("namesrv=")) {
                    return decode(pair.substring("namesrv=".length()));
                }
            }
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

    static String setting(String name, String defaultValue) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            value = System.getProperty(propertyName(name));
        }
        return value == null || value.isBlank() ? defaultValue : value.trim();
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
