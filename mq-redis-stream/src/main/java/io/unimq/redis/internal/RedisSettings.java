package io.unimq.redis.internal;

import io.lettuce.core.RedisURI;
import io.unimq.api.MqConfigurationException;
import io.unimq.spi.MqConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parsed {@code redis://} URI. Immutable, thread-safe.
 *
 * @param partitions streams per topic, used when a topic is first declared (later clients read it back)
 * @param lease how long a consumer may stay silent before its pending entries and partition leases
 *     are taken over; in-flight entries are refreshed every third of it
 * @param trimInterval how often streams are trimmed below the oldest entry a group still needs
 *
 * <p>Internal and unstable: public only for {@link io.unimq.redis.RedisStreamProvider}; not part of unimq's API and may change
 * in any release.
 */
public record RedisSettings(RedisURI redisUri, String address, int partitions, Duration lease,
    Duration trimInterval, int maxMessageSize, Duration connectTimeout, Duration commandTimeout) {
  public static final int DEFAULT_PARTITIONS = 4;
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;
  public static final Set<String> PARAMETERS = Set.of("partitions", "lease", "trimInterval", "maxMessageSize");
  private static final Set<String> VENDOR = Set.of("ssl", "verifyPeer", "clientName", "connectTimeout", "commandTimeout");

  public static RedisSettings from(MqConfig config) {
    int partitions = config.integer("partitions", DEFAULT_PARTITIONS, 1, 256);
    Duration lease = config.duration("lease", Duration.ofSeconds(10));
    if (lease.toMillis() < 300) {
      throw new MqConfigurationException("parameter 'lease' must be at least 300ms, was " + lease);
    }
    Duration trim = config.duration("trimInterval", Duration.ofSeconds(30));
    if (trim.toMillis() < 100) {
      throw new MqConfigurationException("parameter 'trimInterval' must be at least 100ms, was " + trim);
    }
    int maxSize = config.integer("maxMessageSize", DEFAULT_MAX_MESSAGE_SIZE, 1, 512 * 1024 * 1024 - 1024);
    Map<String, String> vendor = config.vendorParameters();
    for (String k : vendor.keySet()) {
      if (!VENDOR.contains(k)) {
        throw new MqConfigurationException("unknown vendor parameter 'redis." + k + "'; known: " + new TreeSet<>(VENDOR).stream().map(v -> "redis." + v).toList());
      }
    }
    MqConfig vc = MqConfig.parse("redis://x/?" + String.join("&", vendor.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
    Duration connectTimeout = vc.duration("connectTimeout", Duration.ofSeconds(3));
    Duration commandTimeout = vc.duration("commandTimeout", Duration.ofSeconds(15));
    int db;
    try {
      db = config.path().isEmpty() ? 0 : Integer.parseInt(config.path());
    } catch (NumberFormatException e) {
      throw new MqConfigurationException("the path of a redis:// URI is the database number, was '" + config.path() + "'", e);
    }
    String host = config.host();
    int port = config.port(6379);
    RedisURI.Builder b = RedisURI.builder().withHost(host).withPort(port).withDatabase(db)
        .withTimeout(commandTimeout).withSsl(vc.bool("ssl", false)).withVerifyPeer(vc.bool("verifyPeer", true));
    String password = config.password(null);
    String user = config.user(null);
    if (password != null) {
      if (user != null && !user.isEmpty()) {
        b.withAuthentication(user, password);
      } else {
        b.withPassword(password.toCharArray());
      }
    }
    String clientName = vc.string("clientName", null);
    if (clientName != null) {
      b.withClientName(clientName);
    }
    return new RedisSettings(b.build(), host + ":" + port + "/" + db, partitions, lease, trim, maxSize, connectTimeout, commandTimeout);
  }
}
