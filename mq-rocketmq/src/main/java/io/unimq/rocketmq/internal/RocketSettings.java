package io.unimq.rocketmq.internal;

import io.unimq.api.MqConfigurationException;
import io.unimq.spi.MqConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The parsed {@code rocketmq://} URI: every adapter parameter read and validated here, once.
 * Immutable, thread-safe.
 *
 * <p>Internal and unstable: public only for {@link io.unimq.rocketmq.RocketMqProvider}; not part of unimq's API and may
 * change in any release.
 */
public record RocketSettings(String host, int port, String namesrv, int queues, int fifoQueues, int maxMessageSize,
    Duration requestTimeout, Duration connectTimeout, Duration invisibleTime, Duration awaitDuration, boolean ssl,
    RocketCredentials credentials, java.util.List<String> proxies, java.util.List<String> proxyRemoting) {

  /**
   * The name servers, {@code host:port} entries separated by semicolons (RocketMQ's own separator), used
   * for topic and group administration (required).
   */
  public static final String NAMESRV = "namesrv";
  /**
   * The proxies' remoting endpoints, {@code host:port} entries separated by semicolons, asked for a
   * group's members: behind proxies in Cluster mode the brokers never hear of a gRPC consumer, the
   * proxies do. Default: each proxy of the URI at its gRPC port minus one (RocketMQ's defaults, 8081
   * and 8080).
   */
  public static final String PROXY_REMOTING = "proxyRemoting";
  /** Queues per physical topic created by unimq, except the FIFO one. */
  public static final String QUEUES = "queues";
  /**
   * Queues of a new FIFO topic (keyed messages). RocketMQ blocks a FIFO queue while a message popped
   * from it is unacked, and the proxy puts a key in queue {@code consistentHash(key.hashCode(), n)}, so
   * a key whose message waits for an ordered retry also holds back the other keys sharing its queue:
   * about 1 in n.
   */
  public static final String FIFO_QUEUES = "fifoQueues";
  /** Invisible duration of a received message (at least 10s, the proxy's minimum). */
  public static final String INVISIBLE_TIME = "invisibleTime";
  /** Largest accepted message, in bytes. */
  public static final String MAX_MESSAGE_SIZE = "maxMessageSize";
  /** Timeout of one request to the proxy, name server or broker. */
  public static final String REQUEST_TIMEOUT = "requestTimeout";
  /**
   * Long-poll duration of a receive: the most a retried or unblocked message waits extra (the proxy
   * does not wake a long poll when an acked FIFO queue or a retried message becomes available again).
   */
  public static final String AWAIT_DURATION = "awaitDuration";
  /** The one vendor pass-through setting, {@code rocketmq.sslEnabled}, without its prefix. */
  public static final String SSL_ENABLED = "sslEnabled";
  /** The ACL 2.0 access key (a user name); also the user of the URI's user info. */
  public static final String ACCESS_KEY = "accessKey";
  /** The access key's secret key (the user's password); also the password of the URI's user info. Masked everywhere. */
  public static final String SECRET_KEY = "secretKey";
  /** {@code true}: gRPC and the admin client's remoting over TLS (the vendor's {@code sslEnabled}). */
  public static final String TLS = "tls";
  /**
   * The trust and client-certificate parameters of the other schemes, refused here: rocketmq-client-java has no API
   * for a trust store (its gRPC channel trusts any server certificate) nor for a client certificate.
   */
  static final java.util.List<String> UNSUPPORTED_TLS = java.util.List.of("trustStore", "trustStorePassword", "caFile",
      "keyStore", "keyStorePassword", "verifyHostname");
  /** The {@code rocketmq://} parameters (the core ones, {@code connectTimeout} among them, are the engine's). */
  public static final Set<String> PARAMETERS = Set.copyOf(new java.util.HashSet<>(java.util.List.of(NAMESRV, PROXY_REMOTING, QUEUES,
      FIFO_QUEUES, INVISIBLE_TIME, MAX_MESSAGE_SIZE, REQUEST_TIMEOUT, AWAIT_DURATION, ACCESS_KEY, SECRET_KEY, TLS,
      "trustStore", "trustStorePassword", "caFile", "keyStore", "keyStorePassword", "verifyHostname")));

  /** The proxy's gRPC port when the URI has none. */
  public static final int DEFAULT_PORT = 8081;
  public static final int DEFAULT_QUEUES = 4;
  public static final int DEFAULT_FIFO_QUEUES = 16;
  /** Default largest message: 4 MiB, the broker's default {@code maxMessageSize}. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;

  /** Reads and validates {@code config}. */
  public static RocketSettings from(MqConfig config) {
    String namesrv = config.string(NAMESRV, null);
    if (namesrv == null || namesrv.isBlank()) {
      throw new MqConfigurationException("rocketmq:// needs the name server for administration: add ?namesrv=host:port to "
          + config.redactedUri());
    }
    Duration await = config.duration(AWAIT_DURATION, Duration.ofSeconds(1));
    if (await.isNegative() || await.isZero() || await.compareTo(Duration.ofSeconds(30)) > 0) {
      throw new MqConfigurationException("parameter '" + AWAIT_DURATION + "' must be between 1ms and 30s, was " + await);
    }
    Duration invisible = config.duration(INVISIBLE_TIME, Duration.ofSeconds(60));
    if (invisible.compareTo(Duration.ofSeconds(10)) < 0) {
      throw new MqConfigurationException("parameter '" + INVISIBLE_TIME + "' must be at least 10s (the proxy's minimum), was " + invisible);
    }
    hostPortList(config, NAMESRV, namesrv, "10.0.0.1:9876;10.0.0.2:9876");
    java.util.List<String> proxies = config.hostPorts(DEFAULT_PORT);
    String remoting = config.string(PROXY_REMOTING, null);
    java.util.List<String> proxyRemoting = remoting != null ? hostPortList(config, PROXY_REMOTING, remoting, "10.0.0.1:8080;10.0.0.2:8080")
        : proxies.stream().map(RocketSettings::remotingOf).toList();
    boolean ssl = false;
    for (Map.Entry<String, String> v : config.vendorParameters().entrySet()) {
      if (!v.getKey().equals(SSL_ENABLED)) {
        throw new MqConfigurationException("unknown vendor parameter 'rocketmq." + v.getKey() + "'; known: [rocketmq." + SSL_ENABLED + "]");
      }
      ssl = MqConfig.strictBoolean("rocketmq." + SSL_ENABLED, v.getValue());
    }
    ssl |= config.bool(TLS, false);
    for (String p : UNSUPPORTED_TLS) {
      if (config.parameters().containsKey(p)) {
        throw new MqConfigurationException("parameter '" + p + "' is not supported on rocketmq://: the RocketMQ client"
            + " (rocketmq-client-java) cannot verify the server certificate nor present a client certificate; with tls=true"
            + " it encrypts but trusts any certificate the proxy presents. Remove '" + p + "' (see mq-rocketmq/README.md, TLS)");
      }
    }
    return new RocketSettings(config.host(), config.port(DEFAULT_PORT), namesrv,
        config.integer(QUEUES, DEFAULT_QUEUES, 1, 64),
        config.integer(FIFO_QUEUES, DEFAULT_FIFO_QUEUES, 1, 64),
        config.integer(MAX_MESSAGE_SIZE, DEFAULT_MAX_MESSAGE_SIZE, 1, 4 * 1024 * 1024),
        config.positiveDuration(REQUEST_TIMEOUT, Duration.ofSeconds(5)),
        config.connectTimeout(),
        invisible, await, ssl, credentials(config), proxies, proxyRemoting);
  }

  /** Checks {@code value} is {@code host:port} entries separated by ';' and returns them. */
  private static java.util.List<String> hostPortList(MqConfig config, String name, String value, String example) {
    for (String entry : value.split(";", -1)) {
      int colon = entry.lastIndexOf(':');
      if (colon <= 0 || !entry.substring(colon + 1).matches("[0-9]{1,5}") || entry.contains(",") || entry.isBlank()
          || Integer.parseInt(entry.substring(colon + 1)) < 1 || Integer.parseInt(entry.substring(colon + 1)) > 65535) {
        throw new MqConfigurationException("parameter '" + name + "' must be host:port entries separated by ';' (ports"
            + " 1-65535), for example " + name + "=" + example + "; found '" + entry + "' in " + config.redactedUri());
      }
    }
    return java.util.List.of(value.split(";"));
  }

  /** A proxy's remoting endpoint by RocketMQ's default layout: its gRPC port minus one. */
  private static String remotingOf(String grpcHostPort) {
    int colon = grpcHostPort.lastIndexOf(':');
    return grpcHostPort.substring(0, colon + 1) + (Integer.parseInt(grpcHostPort.substring(colon + 1)) - 1);
  }

  private static RocketCredentials credentials(MqConfig config) {
    String ak = config.user(null);
    String sk = config.password(null);
    if (ak != null && config.parameters().containsKey(ACCESS_KEY) || sk != null && config.parameters().containsKey(SECRET_KEY)) {
      throw new MqConfigurationException("the credentials are given twice, in the URI's user info and in parameters '"
          + ACCESS_KEY + "'/'" + SECRET_KEY + "': give one");
    }
    ak = ak != null ? ak : config.string(ACCESS_KEY, null);
    sk = sk != null ? sk : config.string(SECRET_KEY, null);
    if (ak == null && sk == null) {
      return null;
    }
    if (ak == null || ak.isBlank() || sk == null || sk.isEmpty()) {
      throw new MqConfigurationException("rocketmq:// needs both an access key and a secret key (user info ak:sk@ or"
          + " parameters '" + ACCESS_KEY + "' and '" + SECRET_KEY + "'), got only " + (ak == null || ak.isBlank() ? "the secret key" : "the access key '" + ak + "'"));
    }
    return new RocketCredentials(ak, sk);
  }

  /** The access key, or null without credentials. */
  public String accessKey() {
    return credentials == null ? null : credentials.accessKey();
  }

  /** {@code host:port} of the first proxy. */
  public String endpoint() {
    return host + ":" + port;
  }
}
