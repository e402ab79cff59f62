package io.unimq.redis;

import io.unimq.api.Capability;
import io.unimq.redis.internal.RedisSettings;
import io.unimq.redis.internal.RedisTransport;
import io.unimq.spi.MqConfig;
import io.unimq.spi.MqProvider;
import io.unimq.spi.Transport;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code redis://[user:password@]host[:port][/db][?partitions=4&lease=10s&trimInterval=30s&maxMessageSize=4194304]}
 * (or {@code rediss://...} for TLS):
 * unimq over Redis Streams (Redis 6.2 or later; XAUTOCLAIM is required).
 *
 * <p>Topology: a topic is {@code partitions} streams {@code unimq:{topic}:p:<i>}; keyed messages go to
 * the partition of CRC32(key), unkeyed ones are spread round robin. A group is a consumer group
 * created on every partition at declaration ({@code XGROUP CREATE ... $ MKSTREAM}) plus a retry
 * stream {@code unimq:{topic}:r:<group>} that only this group reads, and a dead-letter stream
 * {@code unimq:{topic}:dlq:<group>}. Delays and retries wait in a sorted set and are moved by an
 * atomic Lua script. Ordered subscriptions hold one renewable lease per partition and group.
 *
 * <p>Guarantees: a send completes after the XADD (or the delay script) returned; with
 * {@code appendfsync always} the entry is on disk then. Delivery is at least once. Entries are
 * trimmed only below the oldest entry that any group still has pending or undelivered.
 *
 * <h2>Parameters</h2>
 * <ul>
 *   <li>{@code partitions} (1-256, default 4): streams per topic, fixed by the first client that uses the topic.</li>
 *   <li>{@code lease} (at least 300ms, default 10s): a consumer silent this long loses its pending entries and partition leases.</li>
 *   <li>{@code trimInterval} (at least 100ms, default 30s): how often a client trims the streams of the topics it consumes.</li>
 *   <li>{@code maxMessageSize} (bytes, default 4 MiB): larger messages are rejected before the network.</li>
 *   <li>{@code requestTimeout} (default 15s): how long one Redis command may take.</li>
 *   <li>{@code replicaAcks} (0-16, default 0) and {@code replicaAckTimeout} (default 5s, at most half of
 *       {@code requestTimeout}): replicas that must have a send (WAIT) before it is confirmed, and how long
 *       to wait for them (see {@link RedisSentinelProvider}).</li>
 *   <li>TLS and credentials (README, "Security: TLS and credentials"): the ACL user and password in the user
 *       info or the {@code user} and {@code password} parameters (no user: {@code default}); {@code tls}
 *       (default false; true for {@code rediss://}), {@code trustStore} + {@code trustStorePassword} or
 *       {@code caFile}, {@code keyStore} + {@code keyStorePassword} (client certificate), {@code verifyHostname}
 *       (default true).</li>
 *   <li>{@code redis.ssl} (default false), {@code redis.verifyPeer} (default true), {@code redis.clientName}:
 *       passed to the client; any other {@code redis.} parameter is an {@code MqConfigurationException} naming it.</li>
 * </ul>
 * The core parameters apply as on every scheme: {@code connectTimeout} (default 5s), {@code sendTimeout},
 * {@code sendRetries}, {@code txCheckInterval}.
 *
 * <p>Thread-safe: stateless; each {@link #connect} opens its own connections.
 */
public final class RedisStreamProvider implements MqProvider {
  /** Streams per topic when the URI does not say: {@value}. */
  public static final int DEFAULT_PARTITIONS = RedisSettings.DEFAULT_PARTITIONS;
  /** Largest message by default: 4 MiB. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = RedisSettings.DEFAULT_MAX_MESSAGE_SIZE;

  @Override
  public String scheme() {
    return "redis";
  }

  /** {@code rediss://}: {@code redis://} with {@code tls=true}. */
  @Override
  public Set<String> tlsSchemes() {
    return Set.of("rediss");
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.allOf(Capability.class);
  }

  @Override
  public Set<String> parameters() {
    return RedisSettings.PARAMETERS;
  }

  @Override
  public Transport connect(MqConfig config) {
    return new RedisTransport(RedisSettings.from(config));
  }
}
