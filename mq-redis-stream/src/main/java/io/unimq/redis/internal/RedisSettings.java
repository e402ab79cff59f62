package io.unimq.redis.internal;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.unimq.api.MqConfigurationException;
import io.unimq.spi.MqConfig;
import io.unimq.spi.TlsSettings;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parsed {@code redis://} URI. Every parameter is read and validated here, once, through
 * {@link MqConfig}; the core {@code connectTimeout} comes from {@link MqConfig#connectTimeout()}.
 * Immutable, thread-safe.
 *
 * @param partitions streams per topic, used when a topic is first declared (later clients read it back)
 * @param lease how long a consumer may stay silent before its pending entries and partition leases
 *     are taken over; in-flight entries are refreshed every third of it
 * @param trimInterval how often streams are trimmed below the oldest entry a group still needs
 * @param connectTimeout the core {@code connectTimeout}: opening a connection
 * @param requestTimeout how long one Redis command may take (Lettuce's command timeout)
 * @param tls the TLS parameters ({@code tls}, {@code trustStore}, {@code caFile}, {@code keyStore},
 *     {@code verifyHostname}; on for {@code rediss://})
 * @param user the ACL user, or null for {@code default}
 *
 * <p>Internal and unstable: public only for {@link io.unimq.redis.RedisStreamProvider}; not part of unimq's API and may change
 * in any release.
 */
public record RedisSettings(RedisURI redisUri, String address, int partitions, Duration lease,
    Duration trimInterval, int maxMessageSize, Duration connectTimeout, Duration requestTimeout, TlsSettings tls,
    String user) {
  public static final String PARTITIONS = "partitions";
  public static final String LEASE = "lease";
  public static final String TRIM_INTERVAL = "trimInterval";
  public static final String MAX_MESSAGE_SIZE = "maxMessageSize";
  public static final String REQUEST_TIMEOUT = "requestTimeout";
  /** The adapter's own parameters (core ones such as {@code connectTimeout} are the engine's). */
  public static final Set<String> PARAMETERS = TlsSettings.withSecurityParameters(
      Set.of(PARTITIONS, LEASE, TRIM_INTERVAL, MAX_MESSAGE_SIZE, REQUEST_TIMEOUT));

  /** Vendor pass-through: {@code redis.ssl} (default false). */
  static final String SSL = "redis.ssl";
  /** Vendor pass-through: {@code redis.verifyPeer} (default true). */
  static final String VERIFY_PEER = "redis.verifyPeer";
  /** Vendor pass-through: {@code redis.clientName} (CLIENT SETNAME). */
  static final String CLIENT_NAME = "redis.clientName";
  private static final Set<String> VENDOR = Set.of(SSL, VERIFY_PEER, CLIENT_NAME);

  public static final int DEFAULT_PORT = 6379;
  public static final int DEFAULT_PARTITIONS = 4;
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);
  public static final Duration DEFAULT_TRIM_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);

  /**
   * The configuration error for a connect that failed because the server has no database
   * {@code settings}' number (it answers SELECT with "DB index is out of range"), if that is why.
   */
  static java.util.Optional<MqConfigurationException> noSuchDatabase(Throwable connectFailure, RedisSettings settings) {
    for (Throwable t = connectFailure; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("DB index is out of range")) {
        return java.util.Optional.of(new MqConfigurationException("database " + settings.redisUri().getDatabase() + " of redis://"
            + settings.address() + " does not exist: the server has fewer databases (its 'databases' setting, 16 by"
            + " default); give a database from 0 to that number less 1 as the URI's path"));
      }
    }
    return java.util.Optional.empty();
  }

  /** Reads and validates {@code config}; throws {@link MqConfigurationException} naming a bad parameter. */
  public static RedisSettings from(MqConfig config) {
    int partitions = config.integer(PARTITIONS, DEFAULT_PARTITIONS, 1, 256);
    Duration lease = config.duration(LEASE, DEFAULT_LEASE);
    if (lease.toMillis() < 300) {
      throw new MqConfigurationException("parameter '" + LEASE + "' must be at least 300ms, was " + lease);
    }
    Duration trim = config.duration(TRIM_INTERVAL, DEFAULT_TRIM_INTERVAL);
    if (trim.toMillis() < 100) {
      throw new MqConfigurationException("parameter '" + TRIM_INTERVAL + "' must be at least 100ms, was " + trim);
    }
    int maxSize = config.integer(MAX_MESSAGE_SIZE, DEFAULT_MAX_MESSAGE_SIZE, 1, 512 * 1024 * 1024 - 1024);
    Duration requestTimeout = config.positiveDuration(REQUEST_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    Duration connectTimeout = config.connectTimeout();
    for (String name : config.parameters().keySet()) {
      if (name.startsWith("redis.") && !VENDOR.contains(name)) {
        throw new MqConfigurationException("unknown vendor parameter '" + name + "'; known: " + new TreeSet<>(VENDOR)
            + " (timeouts are the parameters connectTimeout and " + REQUEST_TIMEOUT + ")");
      }
    }
    int db;
    try {
      db = config.path().isEmpty() ? 0 : Integer.parseInt(config.path());
    } catch (NumberFormatException e) {
      throw new MqConfigurationException("the path of a redis:// URI is the database number, was '" + config.path() + "'", e);
    }
    if (db < 0) {
      throw new MqConfigurationException("the database of a redis:// URI (its path) must be 0 or more, was " + db
          + "; a server has databases 0 to its 'databases' setting less 1 (16 by default)");
    }
    String host = config.host();
    int port = config.port(DEFAULT_PORT);
    TlsSettings tls = TlsSettings.from(config, false);
    RedisURI.Builder b = RedisURI.builder().withHost(host).withPort(port).withDatabase(db).withTimeout(requestTimeout);
    if (tls.enabled()) {
      b.withSsl(true).withVerifyPeer(tls.verifyHostname() ? SslVerifyMode.FULL : SslVerifyMode.CA);
    } else {
      b.withSsl(config.bool(SSL, false)).withVerifyPeer(config.bool(VERIFY_PEER, true));
    }
    String password = config.password(null);
    String user = config.user(null);
    if (password != null) {
      if (user != null && !user.isEmpty()) {
        b.withAuthentication(user, password);
      } else {
        b.withPassword(password.toCharArray());
      }
    }
    String clientName = config.string(CLIENT_NAME, null);
    if (clientName != null) {
      b.withClientName(clientName);
    }
    return new RedisSettings(b.build(), host + ":" + port + "/" + db, partitions, lease, trim, maxSize, connectTimeout, requestTimeout,
        tls, user == null || user.isEmpty() ? null : user);
  }

  /** Lettuce's TLS options for {@link #tls()}: its trust and key managers, the handshake within connectTimeout; null without TLS. */
  SslOptions sslOptions() {
    if (!tls.enabled()) {
      return null;
    }
    // a TLS handshake with a plaintext port gets no answer: fail within connectTimeout, not Lettuce's 10 s
    SslOptions.Builder o = SslOptions.builder().jdkSslProvider().handshakeTimeout(connectTimeout);
    if (tls.trustManagerFactory() != null) {
      o.trustManager(tls.trustManagerFactory());
    }
    if (tls.keyManagerFactory() != null) {
      o.keyManager(tls.keyManagerFactory());
    }
    return o.build();
  }

  /** {@code rediss://user@host:port/db} (never the password), for messages. */
  String describe() {
    return (redisUri.isSsl() ? "rediss://" : "redis://") + (user == null ? "" : user + "@") + address;
  }

  /** Without the password. */
  @Override
  public String toString() {
    return "RedisSettings[" + describe() + ", partitions=" + partitions + ", lease=" + lease + ", trimInterval=" + trimInterval
        + ", maxMessageSize=" + maxMessageSize + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
        + ", " + tls + "]";
  }
}
