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
 * {@code redis-cluster://[user:password@]h1:p1,h2:p2,h3:p3[?replicaAcks=1&replicaAckTimeout=5s...]}:
 * unimq over Redis Streams on a Redis Cluster. The URI lists seed nodes (any one reachable is
 * enough; 6379 where an entry has no port); the client learns every node and slot from them
 * (Lettuce's cluster client) and reads the topology again on redirects, on a node that keeps
 * failing to reconnect, and every few seconds.
 *
 * <p>All keys of a topic share the hash tag {@code {topic}}, so a topic lives on the master serving
 * its slot and different topics spread over the masters; every script touches keys of one slot.
 * When a master is lost and the cluster promotes its replica, the client sends that slot's commands
 * to the promoted replica without the application doing anything.
 *
 * <p>Guarantees: as {@link RedisStreamProvider}, and a send is confirmed only once {@code replicaAcks}
 * replicas (default 1) of the master that took it acknowledged it ({@code WAIT} on that master), so a
 * confirmed send survives the master's loss. {@code replicaAcks=0} confirms after the master's write.
 *
 * <p>Parameters: those of {@code redis://} (vendor pass-through {@code redis-cluster.ssl},
 * {@code redis-cluster.verifyPeer}, {@code redis-cluster.clientName}); the URI has no database
 * (Redis Cluster serves database 0 only). A server that is not a cluster node fails
 * {@code Mq.connect} with {@link io.unimq.api.MqConfigurationException}.
 *
 * <p>Thread-safe: stateless; each {@link #connect} opens its own connections.
 */
public final class RedisClusterProvider implements MqProvider {
  @Override
  public String scheme() {
    return RedisSettings.CLUSTER_SCHEME;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.allOf(Capability.class);
  }

  @Override
  public Set<String> parameters() {
    return RedisSettings.CLUSTER_PARAMETERS;
  }

  @Override
  public Transport connect(MqConfig config) {
    return new RedisTransport(RedisSettings.from(config));
  }
}
