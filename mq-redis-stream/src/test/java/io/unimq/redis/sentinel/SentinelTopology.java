package io.unimq.redis.sentinel;

import io.unimq.redis.TopologyUris;
import io.unimq.testbrokers.BrokerControl;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * The launcher's {@code redis-sentinel} topology (docs/clusters.md): its URI from
 * {@code UNIMQ_REDIS_SENTINEL_URI} (set by {@code scripts/brokers env}) and its fault hooks through
 * {@code scripts/brokers}. The topology must be up ({@code scripts/brokers up redis-sentinel}).
 */
final class SentinelTopology {
  static final String NAME = "redis-sentinel";
  /** The data nodes and their ports (scripts/brokers.env). */
  static final Map<String, Integer> DATA_NODES = Map.of("redis1", 16381, "redis2", 16382);

  private SentinelTopology() {}

  static String uri() {
    return uri("");
  }

  /** {@code uri()} with more parameters ({@code a=b&c=d}). */
  static String uri(String params) {
    return TopologyUris.of(NAME, params);
  }

  /** The data node the sentinels name as master ({@code redis1} or {@code redis2}). */
  static String master() {
    String out = BrokerControl.run("leader", NAME).trim();
    return out.split("\\s+")[0];
  }

  static int port(String node) {
    return DATA_NODES.get(node);
  }

  /** The data node that is not {@code node}. */
  static String other(String node) {
    return node.equals("redis1") ? "redis2" : "redis1";
  }

  static void kill(String node) {
    BrokerControl.run("kill", NAME, node);
  }

  /** Starts what is down; returns when the topology is whole. */
  static void up() {
    BrokerControl.run("up", NAME);
  }

  /** Waits until the sentinels name a master other than {@code old}; returns it. */
  static String awaitNewMaster(String old, Duration atMost) {
    String[] now = new String[1];
    Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
      now[0] = master();
      return !now[0].equals(old) && DATA_NODES.containsKey(now[0]);
    });
    return now[0];
  }
}
