package io.unimq.redis.internal;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.unimq.api.MqConfigurationException;
import io.unimq.spi.MqConfig;
import io.unimq.spi.TlsSettings;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parsed {@code redis://}, {@code redis-sentinel://} or {@code redis-cluster://} URI. Every parameter is read and validated
 * here, once, through {@link MqConfig}; the core {@code connectTimeout} comes from
 * {@link MqConfig#connectTimeout()}. Immutable, thread-safe.
 *
 * @param partitions streams per topic, used when a topic is first declared (later clients read it back)
 * @param lease how long a consumer may stay silent before its pending entries and partition leases
 *     are taken over; in-flight entries are refreshed every third of it
 * @param trimInterval how often streams are trimmed below the oldest entry a group still needs
 * @param connectTimeout the core {@code connectTimeout}: opening a connection
 * @param requestTimeout how long one Redis command may take (Lettuce's command timeout)
 * @param replicaAcks replicas that must acknowledge a send (WAIT) before it is confirmed; 0: none
 * @param replicaAckTimeout how long a send waits for those acknowledgements
 * @param tls the TLS parameters ({@code tls}, {@code trustStore}, {@code caFile}, {@code keyStore},
 *     {@code verifyHostname}; on for {@code rediss://})
 * @param user the ACL user, or null for {@code default}
 * @param clusterNodes on {@code redis-cluster://}, the seed nodes (each with the URI's credentials and TLS);
 *     otherwise empty
 *
 * <p>Internal and unstable: public only for {@link io.unimq.redis.RedisStreamProvider}; not part of unimq's API and may change
 * in any release.
 */
public record RedisSettings(RedisURI redisUri, String address, int partitions, Duration lease,
    Duration trimInterval, int maxMessageSize, Duration connectTimeout, Duration requestTimeout, int replicaAcks,
    Duration replicaAckTimeout, TlsSettings tls, String user, List<RedisURI> clusterNodes) {
  public static final String PARTITIONS = "partitions";
  public static final String LEASE = "lease";
  public static final String TRIM_INTERVAL = "trimInterval";
  public static final String MAX_MESSAGE_SIZE = "maxMessageSize";
  public static final String REQUEST_TIMEOUT = "requestTimeout";
  public static final String REPLICA_ACKS = "replicaAcks";
  public static final String REPLICA_ACK_TIMEOUT = "replicaAckTimeout";
  /** {@code redis-sentinel://}: the master name the sentinels monitor (required). */
  public static final String MASTER = "master";
  /** {@code redis-sentinel://}: the sentinels' own password, when they have one. */
  public static final String SENTINEL_PASSWORD = "sentinelPassword";
  /** The adapter's own parameters (core ones such as {@code connectTimeout} are the engine's). */
  public static final Set<String> PARAMETERS = TlsSettings.withSecurityParameters(
      Set.of(PARTITIONS, LEASE, TRIM_INTERVAL, MAX_MESSAGE_SIZE, REQUEST_TIMEOUT, REPLICA_ACKS, REPLICA_ACK_TIMEOUT));
  /** The parameters of {@code redis-sentinel://}: {@link #PARAMETERS} and the sentinel ones. */
  public static final Set<String> SENTINEL_PARAMETERS;

  static {
    Set<String> s = new TreeSet<>(PARAMETERS);
    s.add(MASTER);
    s.add(SENTINEL_PASSWORD);
    SENTINEL_PARAMETERS = Set.copyOf(s);
  }

  /** The scheme of a Redis Sentinel deployment: the URI lists the sentinels and names the master. */
  public static final String SENTINEL_SCHEME = "redis-sentinel";
  /** The scheme of a Redis Cluster: the URI lists seed nodes; the client learns every node and slot from them. */
  public static final String CLUSTER_SCHEME = "redis-cluster";
  /** The parameters of {@code redis-cluster://}: those of {@code redis://}. */
  public static final Set<String> CLUSTER_PARAMETERS = PARAMETERS;

  /** Vendor pass-through, after the scheme and a dot ({@code redis.ssl}, {@code redis-sentinel.ssl}; default false). */
  static final String SSL = "ssl";
  /** Vendor pass-through: {@code <scheme>.verifyPeer} (default true). */
  static final String VERIFY_PEER = "verifyPeer";
  /** Vendor pass-through: {@code <scheme>.clientName} (CLIENT SETNAME). */
  static final String CLIENT_NAME = "clientName";
  private static final Set<String> VENDOR = Set.of(SSL, VERIFY_PEER, CLIENT_NAME);

  public static final int DEFAULT_PORT = 6379;
  public static final int DEFAULT_PARTITIONS = 4;
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);
  public static final Duration DEFAULT_TRIM_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);
  /** Replica acknowledgements a send waits for on {@code redis-sentinel://} and {@code redis-cluster://} by default ({@code redis://}: 0). */
  public static final int DEFAULT_SENTINEL_REPLICA_ACKS = 1;
  public static final Duration DEFAULT_REPLICA_ACK_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_SENTINEL_PORT = 26379;

  /**
   * The configuration error for a connect that failed because the server has no database
   * {@code settings}' number (it answers SELECT with "DB index is out of range"), if that is why.
   */
  static java.util.Optional<MqConfigurationException> noSuchDatabase(Throwable connectFailure, RedisSettings settings) {
    for (Throwable t = connectFailure; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("DB index is out of range")) {
        return java.util.Optional.of(new MqConfigurationException("database " + settings.redisUri().getDatabase() + " of "
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
    boolean sentinel = SENTINEL_SCHEME.equals(config.scheme());
    boolean cluster = CLUSTER_SCHEME.equals(config.scheme());
    String scheme = config.scheme();
    String vendor = scheme + ".";
    for (String name : config.parameters().keySet()) {
      if (name.startsWith(vendor) && !VENDOR.contains(name.substring(vendor.length()))) {
        Set<String> known = new TreeSet<>();
        VENDOR.forEach(v -> known.add(vendor + v));
        throw new MqConfigurationException("unknown vendor parameter '" + name + "'; known: " + known
            + " (timeouts are the parameters connectTimeout and " + REQUEST_TIMEOUT + ")");
      }
    }
    int replicaAcks = config.integer(REPLICA_ACKS, sentinel || cluster ? DEFAULT_SENTINEL_REPLICA_ACKS : 0, 0, 16);
    // by default 5 s, or half the request timeout when that is shorter
    Duration defaultAckTimeout = DEFAULT_REPLICA_ACK_TIMEOUT.compareTo(requestTimeout.dividedBy(2)) < 0
        ? DEFAULT_REPLICA_ACK_TIMEOUT : requestTimeout.dividedBy(2);
    Duration replicaAckTimeout = config.positiveDuration(REPLICA_ACK_TIMEOUT, defaultAckTimeout);
    if (replicaAckTimeout.compareTo(requestTimeout) >= 0) {
      throw new MqConfigurationException("parameter '" + REPLICA_ACK_TIMEOUT + "' (" + replicaAckTimeout
          + ") must be shorter than '" + REQUEST_TIMEOUT + "' (" + requestTimeout + "): the WAIT for replicas is one Redis command");
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
    RedisURI.Builder b;
    String address;
    if (sentinel) {
      String master = config.string(MASTER, null);
      if (master == null || master.isBlank()) {
        throw new MqConfigurationException("a redis-sentinel:// URI needs parameter '" + MASTER + "', the name the sentinels"
            + " monitor the master by, for example redis-sentinel://s1:26379,s2:26379,s3:26379/0?master=mymaster");
      }
      String sentinelPassword = config.string(SENTINEL_PASSWORD, null);
      b = RedisURI.builder().withSentinelMasterId(master);
      for (MqConfig.Address a : config.addresses()) {
        int p = a.port() < 0 ? DEFAULT_SENTINEL_PORT : a.port();
        if (sentinelPassword == null) {
          b.withSentinel(a.host(), p);
        } else {
          b.withSentinel(a.host(), p, sentinelPassword);
        }
      }
      address = "master '" + master + "' of sentinels " + String.join(",", config.hostPorts(DEFAULT_SENTINEL_PORT)) + ", database " + db;
    } else {
      for (String name : List.of(MASTER, SENTINEL_PASSWORD)) {
        if (config.parameters().containsKey(name)) {
          throw new MqConfigurationException("parameter '" + name + "' belongs to redis-sentinel:// URIs, not " + scheme + "://");
        }
      }
      if (cluster) {
        if (db != 0) {
          throw new MqConfigurationException("a redis-cluster:// URI has no database: Redis Cluster serves database 0 only,"
              + " the path was '" + config.path() + "'; write redis-cluster://h1:p1,h2:p2,h3:p3");
        }
        address = "cluster " + String.join(",", config.hostPorts(DEFAULT_PORT));
      } else if (config.addresses().size() > 1) {
        throw new MqConfigurationException(scheme + ":// takes one host, the URI lists " + config.addresses().size()
            + ": for Redis Sentinel use redis-sentinel://s1:26379,s2:26379,s3:26379/0?master=NAME (the sentinels and the"
            + " master's name), for Redis Cluster redis-cluster://h1:6379,h2:6379,h3:6379 (seed nodes)");
      } else {
        address = config.host() + ":" + config.port(DEFAULT_PORT) + "/" + db;
      }
      b = RedisURI.builder().withHost(config.host()).withPort(config.port(DEFAULT_PORT));
    }
    TlsSettings tls = TlsSettings.from(config, false);
    String password = config.password(null);
    String user = config.user(null);
    String clientName = config.string(vendor + CLIENT_NAME, null);
    int database = db;
    java.util.function.UnaryOperator<RedisURI.Builder> common = u -> {
      u.withDatabase(database).withTimeout(requestTimeout);
      if (tls.enabled()) {
        u.withSsl(true).withVerifyPeer(tls.verifyHostname() ? SslVerifyMode.FULL : SslVerifyMode.CA);
      } else {
        u.withSsl(config.bool(vendor + SSL, false)).withVerifyPeer(config.bool(vendor + VERIFY_PEER, true));
      }
      if (password != null) {
        if (user != null && !user.isEmpty()) {
          u.withAuthentication(user, password);
        } else {
          u.withPassword(password.toCharArray());
        }
      }
      if (clientName != null) {
        u.withClientName(clientName);
      }
      return u;
    };
    List<RedisURI> nodes = new java.util.ArrayList<>();
    if (cluster) {
      for (MqConfig.Address a : config.addresses()) {
        nodes.add(common.apply(RedisURI.builder().withHost(a.host()).withPort(a.port() < 0 ? DEFAULT_PORT : a.port())).build());
      }
    }
    return new RedisSettings(common.apply(b).build(), address, partitions, lease, trim, maxSize, connectTimeout, requestTimeout,
        replicaAcks, replicaAckTimeout, tls, user == null || user.isEmpty() ? null : user, List.copyOf(nodes));
  }

  /** A {@code redis-cluster://} URI: connections go through Lettuce's cluster client. */
  boolean cluster() {
    return !clusterNodes.isEmpty();
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

  /** {@code rediss://user@host:port/db}, the sentinels and master, or the cluster's seeds (never the password), for messages. */
  String describe() {
    if (redisUri.getSentinelMasterId() != null || cluster()) {
      return (user == null ? "" : "user " + user + " of ") + address;
    }
    return (redisUri.isSsl() ? "rediss://" : "redis://") + (user == null ? "" : user + "@") + address;
  }

  /** Without the password. */
  @Override
  public String toString() {
    return "RedisSettings[" + describe() + ", partitions=" + partitions + ", lease=" + lease + ", trimInterval=" + trimInterval
        + ", maxMessageSize=" + maxMessageSize + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
        + ", replicaAcks=" + replicaAcks + ", replicaAckTimeout=" + replicaAckTimeout + ", " + tls + "]";
  }
}
