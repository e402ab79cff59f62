package io.unimq.redis.cluster;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqFaultKit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;

/**
 * The fault kit on {@code redis-cluster://}: its workload (confirmed sends, an unordered group behind
 * {@code Idempotent} with retries, an ordered group, delayed messages) runs on one topic, and the
 * fault hits the master serving that topic's slot. Kill: SIGKILL; once a replica has taken the slot
 * over, the old master is started again and rejoins as a replica. Pause: SIGSTOP until a replica has
 * taken over, then SIGCONT (the old master learns it was replaced and becomes a replica). The kit
 * counts lost confirmed sends (must be 0), duplicates, per-key order of first deliveries and the
 * seconds until sends and consumption resume. {@code -Dunimq.fault.faults=kill -Dunimq.fault.runs=3}
 * repeats the kill (docs/reliability.md); reports go under {@code unimq.reportsDirectory}.
 */
class RedisClusterFailoverIT extends MqFaultKit {
  private static final Duration FAILOVER = Duration.ofSeconds(60);
  /** The kit's topics already seen: the one a fault hits is the new one. */
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private volatile String hitKey;
  private volatile String hitNode;

  @BeforeEach
  void rememberTheTopics() {
    seen.addAll(topics());
  }

  private static List<String> topics() {
    try (MqClient c = Mq.connect(ClusterTopology.uri())) {
      return c.admin().topics();
    }
  }

  @Override
  protected String broker() {
    return "redis-cluster";
  }

  @Override
  protected MqClient connect() {
    return Mq.connect(ClusterTopology.uri("lease=5s"));
  }

  @Override
  protected Map<Fault, String> skipped() {
    String oneAddress = "not injected: the cluster's clients follow the addresses the nodes announce, so a proxy in"
        + " front of one node does not carry them; kill and pause cover the loss of a master";
    return Map.of(Fault.RESTART, "not injected on the cluster: a clean restart of a master is shorter than the failover"
            + " detection (cluster-node-timeout 3 s); kill and pause cover the loss of a master",
        Fault.NETWORK_CUT, oneAddress, Fault.BANDWIDTH, oneAddress,
        Fault.DISK_FULL, "not injected yet: scripts/brokers has no hook that fills a node's disk");
  }

  /** The master serving the slot of the run's topic (the one workload topic that is new since the last fault). */
  private void aim() {
    // the run's half messages have a topic of their own (suffix -tx), elsewhere on the cluster
    List<String> fresh = topics().stream()
        .filter(t -> t.startsWith("tck-flt-") && !t.endsWith("-tx") && !seen.contains(t)).toList();
    if (fresh.size() != 1) {
      throw new IllegalStateException("expected one new fault-kit topic, found " + fresh);
    }
    seen.addAll(fresh);
    hitKey = ClusterTopology.keyOf(fresh.get(0));
    hitNode = ClusterTopology.masterOf(hitKey);
  }

  @Override
  protected void killBroker() {
    aim();
    ClusterTopology.kill(hitNode);
  }

  @Override
  protected void startBroker() {
    ClusterTopology.awaitNewMaster(hitKey, hitNode, FAILOVER);
    ClusterTopology.up();
  }

  @Override
  protected void pauseBroker() {
    aim();
    ClusterTopology.pause(hitNode);
  }

  @Override
  protected void resumeBroker() {
    try {
      ClusterTopology.awaitNewMaster(hitKey, hitNode, FAILOVER);
    } finally {
      ClusterTopology.resume(hitNode);
    }
    ClusterTopology.up();
  }

  @Override
  protected Path reportDirectory() {
    String dir = System.getProperty("unimq.reportsDirectory");
    return dir == null || dir.isBlank() ? Path.of("target", "cluster-reports", "redis-cluster", "fault-reports")
        : Path.of(dir, "fault-reports");
  }
}
