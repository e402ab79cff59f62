package io.unimq.redis.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.SubscriptionOptions;
import io.unimq.redis.ReplicaAckChecks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code redis-cluster://} against the launcher's Redis Cluster (3 masters, one replica each): a
 * topic's keys live on the master serving its slot and topics spread over the masters; listing and
 * lag cover every master; a confirmed send is on the replica of its master (WAIT on that master);
 * too few replicas fail the send naming the parameter.
 */
class RedisClusterIT {
  private static RedisClusterClient raw;
  private static Partitions partitions;

  @BeforeAll
  static void readTheTopology() {
    // the client's view of the nodes, to read each master and replica directly
    String seeds = ClusterTopology.uri().substring("redis-cluster://".length()).replaceFirst("[/?].*$", "");
    List<RedisURI> uris = new ArrayList<>();
    for (String hp : seeds.split(",")) {
      uris.add(RedisURI.create("redis://" + hp));
    }
    raw = RedisClusterClient.create(uris);
    partitions = raw.getPartitions();
  }

  @AfterAll
  static void close() {
    raw.shutdown(0, 1, TimeUnit.SECONDS);
  }

  private static String topic() {
    return "it-cluster-" + String.format("%08x", ThreadLocalRandom.current().nextInt());
  }

  private static RedisClusterNode masterOf(String topic) {
    return partitions.getMasterBySlot(SlotHash.getSlot("{" + topic + "}"));
  }

  /** Runs {@code read} on a direct connection to {@code node} (READONLY on a replica). */
  private static long onNode(RedisClusterNode node, ToLongFunction<StatefulRedisConnection<String, String>> read) {
    RedisClient c = RedisClient.create(node.getUri());
    try (StatefulRedisConnection<String, String> conn = c.connect()) {
      if (node.is(RedisClusterNode.NodeFlag.REPLICA)) {
        conn.sync().readOnly();
      }
      return read.applyAsLong(conn);
    } finally {
      c.shutdown(0, 1, TimeUnit.SECONDS);
    }
  }

  private static long entries(StatefulRedisConnection<String, String> c, String topic, int partitions) {
    long n = 0;
    for (int p = 0; p < partitions; p++) {
      n += c.sync().xlen("unimq:{" + topic + "}:p:" + p);
    }
    return n;
  }

  @Test
  void topicsSpreadOverTheMastersAndListingAndLagCoverEveryMaster() {
    // 30 topics on 3 masters: all on two of them has a chance of 3 * (2/3)^30, about 1 in 60,000
    List<String> topics = new ArrayList<>();
    Map<String, List<String>> byMaster = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      String t = topic();
      topics.add(t);
      byMaster.computeIfAbsent(masterOf(t).getNodeId(), k -> new ArrayList<>()).add(t);
    }
    assertThat(byMaster).as("masters holding the 30 topics").hasSize(3);
    try (MqClient client = Mq.connect(ClusterTopology.uri("partitions=2"))) {
      for (String t : topics) {
        client.admin().declareGroup(t, "g");
        client.producer().send(Message.builder(t).key("k").body("m").build());
      }
      assertThat(client.admin().topics()).as("topics() scans every master").containsAll(topics);
      for (String t : topics) {
        assertThat(client.admin().lag(t, "g")).as("lag of %s", t).isEqualTo(1);
        assertThat(onNode(masterOf(t), c -> entries(c, t, 2))).as("entries of %s on the master of its slot", t).isEqualTo(1);
      }
      String first = topics.get(0);
      Set<String> got = ConcurrentHashMap.newKeySet();
      client.subscribe(first, "g", SubscriptionOptions.DEFAULT, d -> got.add(d.message().bodyAsString()));
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> got.contains("m") && client.admin().lag(first, "g") == 0);
    }
  }

  @Test
  void aConfirmedSendIsOnTheReplicaOfItsMasterWhenItIsConfirmed() {
    String topic = topic();
    try (MqClient client = Mq.connect(ClusterTopology.uri("partitions=4"))) {
      ReplicaAckChecks.sendConfirmed(client, topic);
    }
    // no wait: each master's WAIT returned only after its replica acknowledged every write before it
    RedisClusterNode master = masterOf(topic);
    RedisClusterNode replica = partitions.stream().filter(n -> master.getNodeId().equals(n.getSlaveOf())).findFirst().orElseThrow();
    assertThat(onNode(replica, c -> entries(c, topic, 4))).isEqualTo(300);
    assertThat(onNode(replica, c -> c.sync().zcard("unimq:{" + topic + "}:sched"))).as("the delayed send").isEqualTo(1);
  }

  @Test
  void aSendTooFewReplicasAcknowledgeFailsNamingReplicaAcks() {
    // each master has one replica: two can never acknowledge
    ReplicaAckChecks.aSendTooFewReplicasAcknowledgeFails(ClusterTopology.uri("replicaAcks=2&replicaAckTimeout=300ms&sendRetries=0"));
  }
}
