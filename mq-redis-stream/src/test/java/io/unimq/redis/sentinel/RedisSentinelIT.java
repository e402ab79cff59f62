package io.unimq.redis.sentinel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.MqConnectionException;
import io.unimq.redis.ReplicaAckChecks;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code redis-sentinel://} against the launcher's Sentinel topology (1 master, 1 replica, 3
 * sentinels): a confirmed send is on the replica when it is confirmed (WAIT), too few replicas fail
 * the send naming the parameter, and an unreachable sentinel list fails the connect.
 */
class RedisSentinelIT {
  private static String topic() {
    return "it-sentinel-" + String.format("%08x", ThreadLocalRandom.current().nextInt());
  }

  @Test
  void aConfirmedSendIsOnTheReplicaWhenItIsConfirmed() {
    String topic = topic();
    try (MqClient client = Mq.connect(SentinelTopology.uri("partitions=4"))) {
      ReplicaAckChecks.sendConfirmed(client, topic);
      // no wait: WAIT returned only after the replica acknowledged every write before it
      String replica = SentinelTopology.other(SentinelTopology.master());
      RedisClient raw = RedisClient.create("redis://127.0.0.1:" + SentinelTopology.port(replica) + "/0");
      try (StatefulRedisConnection<String, String> c = raw.connect()) {
        assertThat(c.sync().info("replication")).contains("role:slave");
        long entries = 0;
        for (int p = 0; p < 4; p++) {
          entries += c.sync().xlen("unimq:{" + topic + "}:p:" + p);
        }
        assertThat(entries).isEqualTo(300);
        assertThat(c.sync().zcard("unimq:{" + topic + "}:sched")).as("the delayed send").isEqualTo(1);
      } finally {
        raw.shutdown(0, 1, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aSendTooFewReplicasAcknowledgeFailsNamingReplicaAcks() {
    // the topology has one replica: two can never acknowledge
    ReplicaAckChecks.aSendTooFewReplicasAcknowledgeFails(SentinelTopology.uri("replicaAcks=2&replicaAckTimeout=300ms&sendRetries=0"));
  }

  @Test
  void noReachableSentinelFailsTheConnect() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> Mq.connect("redis-sentinel://127.0.0.1:1,127.0.0.1:2/0?master=mymaster&connectTimeout=1s").close())
        .isInstanceOf(MqConnectionException.class).hasMessageContaining("mymaster");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aMasterNameTheSentinelsDoNotKnowFailsTheConnectNamingIt() {
    String uri = SentinelTopology.uri().replace("master=mymaster", "master=nosuchmaster");
    assertThatThrownBy(() -> Mq.connect(uri).close()).isInstanceOf(MqConnectionException.class).hasMessageContaining("nosuchmaster");
  }
}
