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
 * {@code redis-sentinel://[user:password@]s1:p1,s2:p2,s3:p3[/db]?master=NAME[&replicaAcks=1&replicaAckTimeout=5s...]}:
 * unimq over Redis Streams on a Redis Sentinel deployment. The URI lists the sentinels (any one
 * reachable is enough) and names the master they monitor; a password in the authority is the data
 * nodes' password ({@code sentinelPassword} the sentinels' own, if they have one).
 *
 * <p>Every connection (sends, consumers' blocking reads, the delay mover's pub/sub) asks the
 * sentinels for the current master whenever it (re)connects, so after a failover the client works
 * on the promoted replica without the application doing anything.
 *
 * <p>Guarantees: as {@link RedisStreamProvider}, and a send is confirmed only once
 * {@code replicaAcks} replicas (default 1) acknowledged it ({@code WAIT}), so a confirmed send
 * survives the master's loss; a send that is not acknowledged within {@code replicaAckTimeout}
 * (default 5s) fails with {@link io.unimq.api.MqSendException} (outcome unknown) and the engine
 * retries it. {@code replicaAcks=0} confirms after the master's write alone. Delay, retry, dead
 * letters, lag and replay behave as on one node: Sentinel serves one master.
 *
 * <p>Parameters: those of {@code redis://} (with vendor pass-through {@code redis-sentinel.ssl},
 * {@code redis-sentinel.verifyPeer}, {@code redis-sentinel.clientName}), plus {@code master}
 * (required), {@code sentinelPassword}, {@code replicaAcks} (0-16) and {@code replicaAckTimeout}
 * (shorter than {@code requestTimeout}).
 *
 * <p>Thread-safe: stateless; each {@link #connect} opens its own connections.
 */
public final class RedisSentinelProvider implements MqProvider {
  @Override
  public String scheme() {
    return RedisSettings.SENTINEL_SCHEME;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.allOf(Capability.class);
  }

  @Override
  public Set<String> parameters() {
    return RedisSettings.SENTINEL_PARAMETERS;
  }

  @Override
  public Transport connect(MqConfig config) {
    return new RedisTransport(RedisSettings.from(config));
  }
}
