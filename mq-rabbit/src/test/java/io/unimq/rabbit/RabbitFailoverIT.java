package io.unimq.rabbit;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqFaultKit;
import java.util.EnumSet;
import java.util.Set;

/**
 * The fault kit's {@link Fault#NODE_KILL} on the 3-node {@code rabbitmq-cluster} (quorum queues, the
 * adapter's default on a cluster): the node leading the unordered group's quorum queue ({@code scripts/brokers
 * leader rabbitmq-cluster unimq.<topic>.<group>}) is killed with SIGKILL mid-stream and started again after
 * the fault duration. Short mode (one run) in {@code scripts/test.d/51-rabbitmq-cluster};
 * {@code -Dunimq.fault.mode=full} for the figures of docs/reliability.md. Kills a node: run only with the
 * topology up and nothing else using it.
 */
class RabbitFailoverIT extends MqFaultKit {
  @Override
  protected String broker() {
    return RabbitClusterBroker.TOPOLOGY;
  }

  @Override
  protected MqClient connect() {
    return Mq.connect(RabbitClusterBroker.uri());
  }

  @Override
  protected Set<Fault> faults(Set<Fault> modeFaults) {
    return EnumSet.of(Fault.NODE_KILL);
  }

  @Override
  protected String leadingNode(String topic, String group) {
    return RabbitClusterBroker.leader("unimq." + topic + "." + group);
  }

  @Override
  protected void killNode(String node) {
    RabbitClusterBroker.kill(node);
  }

  @Override
  protected void startNodes() {
    RabbitClusterBroker.up();
  }
}
