package io.unimq.redis.cluster;

import io.unimq.redis.TopologyUris;
import io.unimq.testbrokers.BrokerControl;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * The launcher's {@code redis-cluster} topology (docs/clusters.md: 3 masters, 3 replicas): its URI
 * from {@code UNIMQ_REDIS_CLUSTER_URI} (set by {@code scripts/brokers env}) and its fault hooks
 * through {@code scripts/brokers}. The topology must be up ({@code scripts/brokers up redis-cluster}).
 */
final class ClusterTopology {
  static final String NAME = "redis-cluster";

  private ClusterTopology() {}

  static String uri() {
    return uri("");
  }

  /** {@code uri()} with more parameters ({@code a=b&c=d}). */
  static String uri(String params) {
    return TopologyUris.of(NAME, params);
  }

  /** A key of {@code topic}: every key of a topic is in this slot. */
  static String keyOf(String topic) {
    return "unimq:{" + topic + "}:meta";
  }

  /** The node ({@code node1}..{@code node6}) of the master serving {@code key}'s slot now. */
  static String masterOf(String key) {
    return BrokerControl.run("leader", NAME, key).trim().split("\\s+")[0];
  }

  static void kill(String node) {
    BrokerControl.run("kill", NAME, node);
  }

  static void pause(String node) {
    BrokerControl.run("pause", NAME, node);
  }

  static void resume(String node) {
    BrokerControl.run("resume", NAME, node);
  }

  /** Starts what is down; returns when every slot is served again and every node answers. */
  static void up() {
    BrokerControl.run("up", NAME);
  }

  /** Waits until a master other than {@code old} serves {@code key}'s slot (its replica was promoted); returns it. */
  static String awaitNewMaster(String key, String old, Duration atMost) {
    String[] now = new String[1];
    Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
      now[0] = masterOf(key);
      return now[0].startsWith("node") && !now[0].equals(old);
    });
    return now[0];
  }
}
