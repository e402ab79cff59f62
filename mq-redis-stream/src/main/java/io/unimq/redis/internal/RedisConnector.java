package io.unimq.redis.internal;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.unimq.api.MqConfigurationException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Opens the adapter's connections to one server, to the master a Sentinel deployment names (Lettuce's
 * {@link RedisClient}) or to a Redis Cluster ({@link RedisClusterClient}), typed to the command
 * interfaces the two share ({@link RedisClusterCommands}, {@link RedisClusterAsyncCommands}), so the
 * adapter's code is the same for all three. On a cluster each command goes to the master serving its
 * first key's slot; every key of a topic carries the hash tag {@code {topic}} (see {@link Keys}), so
 * one topic lives on one master. Thread-safe.
 */
final class RedisConnector {
  /**
   * How often a cluster client reads the topology (CLUSTER NODES) without a reason. It also reads it
   * at once on a redirect or when a node keeps failing to reconnect, at most once per
   * {@link #CLUSTER_REFRESH_AT_MOST}: after a failover, commands move to the promoted replica within
   * about a second of its promotion.
   */
  static final Duration CLUSTER_REFRESH_EVERY = Duration.ofSeconds(5);
  static final Duration CLUSTER_REFRESH_AT_MOST = Duration.ofSeconds(1);

  /** One connection and its commands, standalone or cluster. Thread-safe as the Lettuce connection is. */
  record Conn(StatefulConnection<String, byte[]> stateful, RedisClusterCommands<String, byte[]> sync,
      RedisClusterAsyncCommands<String, byte[]> async) {
    boolean cluster() {
      return stateful instanceof StatefulRedisClusterConnection;
    }

    /**
     * The connection that commands on {@code key} travel on: on a cluster, the connection to the
     * master that serves its slot now (the one this cluster connection routes those commands to);
     * otherwise this one. What needs the server's view of one client (WAIT, CLIENT ID) goes there.
     */
    @SuppressWarnings("unchecked")
    StatefulRedisConnection<String, byte[]> nodeFor(String key) {
      if (stateful instanceof StatefulRedisClusterConnection<String, byte[]> c) {
        RedisURI master = masterOf(c, key);
        return c.getConnection(master.getHost(), master.getPort());
      }
      return (StatefulRedisConnection<String, byte[]>) stateful;
    }

    /** {@link #nodeFor} without blocking (it may have to connect): for callbacks on Lettuce's threads. */
    @SuppressWarnings("unchecked")
    CompletableFuture<StatefulRedisConnection<String, byte[]>> nodeForAsync(String key) {
      if (stateful instanceof StatefulRedisClusterConnection<String, byte[]> c) {
        try {
          RedisURI master = masterOf(c, key);
          return c.getConnectionAsync(master.getHost(), master.getPort());
        } catch (RedisException e) {
          return CompletableFuture.failedFuture(e);
        }
      }
      return CompletableFuture.completedFuture((StatefulRedisConnection<String, byte[]>) stateful);
    }

    /** The address of the master serving {@code key}'s slot now (off a cluster: this connection's server), without connecting. */
    String masterAddress(String key) {
      if (stateful instanceof StatefulRedisClusterConnection<?, ?> c) {
        RedisURI master = masterOf(c, key);
        return master.getHost() + ":" + master.getPort();
      }
      return "";
    }

    private static RedisURI masterOf(StatefulRedisClusterConnection<?, ?> c, String key) {
      int slot = SlotHash.getSlot(key);
      RedisClusterNode master = c.getPartitions().getMasterBySlot(slot);
      if (master == null) {
        throw new RedisException("no Redis Cluster master serves slot " + slot + " (of key " + key + ") now");
      }
      return master.getUri();
    }

    void close() {
      stateful.close();
    }
  }

  private final RedisSettings settings;
  private final RedisClient client;
  private final RedisClusterClient cluster;

  RedisConnector(RedisSettings settings, ClientResources resources) {
    this.settings = settings;
    if (settings.cluster()) {
      this.client = null;
      this.cluster = RedisClusterClient.create(resources, settings.clusterNodes());
      ClusterClientOptions.Builder o = common(ClusterClientOptions.builder())
          .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
              .enablePeriodicRefresh(CLUSTER_REFRESH_EVERY)
              .enableAllAdaptiveRefreshTriggers()
              .adaptiveRefreshTriggersTimeout(CLUSTER_REFRESH_AT_MOST)
              .refreshTriggersReconnectAttempts(2)
              .build());
      cluster.setOptions(o.build());
    } else {
      this.cluster = null;
      this.client = RedisClient.create(resources, settings.redisUri());
      client.setOptions(common(ClientOptions.builder()).build());
    }
  }

  private <B extends ClientOptions.Builder> B common(B b) {
    b.protocolVersion(ProtocolVersion.RESP2)
        .autoReconnect(true)
        // not suspendReconnectOnProtocolFailure: a restarting Redis answers the reconnect's handshake with
        // LOADING, and suspending would leave the connection dead for good
        .socketOptions(SocketOptions.builder().connectTimeout(settings.connectTimeout()).keepAlive(true).build())
        .timeoutOptions(TimeoutOptions.enabled(settings.requestTimeout()));
    if (settings.sslOptions() != null) {
      b.sslOptions(settings.sslOptions());
    }
    return b;
  }

  /** A new connection; Lettuce's exceptions pass through (the caller knows what it was doing). */
  Conn connect() {
    if (cluster != null) {
      StatefulRedisClusterConnection<String, byte[]> c = cluster.connect(RedisTransport.CODEC);
      return new Conn(c, c.sync(), c.async());
    }
    StatefulRedisConnection<String, byte[]> c = client.connect(RedisTransport.CODEC);
    return new Conn(c, c.sync(), c.async());
  }

  /**
   * The first connection: on a cluster, a server that is not a cluster node is a configuration
   * error naming it, not a connection failure.
   */
  Conn connectFirst() {
    try {
      return connect();
    } catch (RedisException e) {
      if (cluster != null && mentions(e, "cluster support disabled")) {
        throw new MqConfigurationException("Redis at " + settings.describe() + " is not a Redis Cluster (the server"
            + " answers that cluster support is disabled): use redis://host:port for one server, or"
            + " redis-sentinel://...?master=NAME for Sentinel", e);
      }
      throw e;
    }
  }

  private static boolean mentions(Throwable t, String text) {
    if (t == null) {
      return false;
    }
    if (t.getMessage() != null && t.getMessage().contains(text)) {
      return true;
    }
    for (Throwable s : t.getSuppressed()) {
      if (mentions(s, text)) {
        return true;
      }
    }
    return t.getCause() != t && mentions(t.getCause(), text);
  }

  /** A publish/subscribe connection (on a cluster, to any node: PUBLISH reaches every node). */
  StatefulRedisPubSubConnection<String, byte[]> connectPubSub() {
    return cluster != null ? cluster.connectPubSub(RedisTransport.CODEC) : client.connectPubSub(RedisTransport.CODEC);
  }

  /** Masters with fewer than {@code wanted} replicas online, as "host:port (n)"; empty off a cluster. */
  java.util.List<String> mastersShortOfReplicas(int wanted) {
    java.util.List<String> out = new java.util.ArrayList<>();
    if (cluster == null) {
      return out;
    }
    for (RedisClusterNode n : cluster.getPartitions()) {
      if (n.is(RedisClusterNode.NodeFlag.UPSTREAM) && !n.getSlots().isEmpty()) {
        long replicas = cluster.getPartitions().stream().filter(r -> n.getNodeId().equals(r.getSlaveOf())
            && !r.is(RedisClusterNode.NodeFlag.FAIL) && !r.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL)).count();
        if (replicas < wanted) {
          out.add(n.getUri().getHost() + ":" + n.getUri().getPort() + " (" + replicas + ")");
        }
      }
    }
    return out;
  }

  void shutdown(long quietSeconds, long timeoutSeconds) {
    if (cluster != null) {
      cluster.shutdownAsync(quietSeconds, timeoutSeconds, TimeUnit.SECONDS);
    } else {
      client.shutdownAsync(quietSeconds, timeoutSeconds, TimeUnit.SECONDS);
    }
  }

  boolean cluster() {
    return cluster != null;
  }
}
