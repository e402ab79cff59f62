package io.unimq.kafka;

import static org.awaitility.Awaitility.await;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqFaultKit;
import io.unimq.testbrokers.BrokerControl;
import io.unimq.testbrokers.TestBrokers;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;

/**
 * The fault kit's {@link Fault#NODE_KILL} on the 3-node {@code kafka-cluster} topology, where every
 * topic unimq creates has 3 replicas and {@code min.insync.replicas} 2: the leader of the workload
 * topic's partition 0 is killed with SIGKILL mid-stream and started again after the fault duration;
 * the next run starts once every partition is back in sync on 3 replicas. Short mode (one run) in
 * {@code scripts/test.d/50-kafka-cluster}; {@code -Dunimq.fault.mode=full} for the figures of
 * docs/reliability.md. Kills a node: run only with {@code kafka-cluster} up and nobody else using it.
 */
class KafkaFailoverIT extends MqFaultKit {
  private static final String TOPOLOGY = "kafka-cluster";
  /** The run's topic, whose replicas {@link #startNodes()} waits for. */
  private volatile String topic;

  @Override
  protected String broker() {
    return TOPOLOGY;
  }

  @Override
  protected MqClient connect() {
    return Mq.connect(KafkaTestSupport.clusterUri() + "&partitions=4&sendTimeout=10s");
  }

  @Override
  protected Set<Fault> faults(Set<Fault> modeFaults) {
    return EnumSet.of(Fault.NODE_KILL);
  }

  /** The node leading partition 0 of {@code topic} ({@code node1}..{@code node3}, by the port's place in the cluster's ports). */
  @Override
  protected String leadingNode(String topic, String group) {
    this.topic = topic;
    try (Admin admin = Admin.create(adminProps())) {
      TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      if (d.partitions().get(0).replicas().size() != 3) {
        throw new IllegalStateException("a topic unimq created on 3 brokers has replicas " + d.partitions().get(0).replicas());
      }
      Node leader = d.partitions().get(0).leader();
      List<String> ports = List.of(TestBrokers.env("KAFKA_CLUSTER_PORTS").split(","));
      return "node" + (ports.indexOf(Integer.toString(leader.port())) + 1);
    } catch (Exception e) {
      throw new IllegalStateException("cannot tell the leader of " + topic, e);
    }
  }

  @Override
  protected void killNode(String node) {
    BrokerControl.run("kill", TOPOLOGY, node);
  }

  @Override
  protected void startNodes() {
    try {
      BrokerControl.run("up", TOPOLOGY);
    } catch (IllegalStateException slow) { // the node took longer than the script waits (a loaded machine)
      BrokerControl.run("up", TOPOLOGY);
    }
    try (Admin admin = Admin.create(adminProps())) {
      await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> admin.describeTopics(List.of(topic))
          .allTopicNames().get().get(topic).partitions().stream().allMatch(p -> p.isr().size() == 3));
    }
  }

  private static Properties adminProps() {
    Properties p = new Properties();
    p.put("bootstrap.servers", KafkaTestSupport.clusterUri().substring("kafka://".length()).replaceAll("\\?.*", ""));
    return p;
  }
}
