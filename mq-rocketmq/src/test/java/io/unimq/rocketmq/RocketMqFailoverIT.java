package io.unimq.rocketmq;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqFaultKit;
import java.util.EnumSet;
import java.util.Set;

/**
 * The fault kit's {@link Fault#NODE_KILL} on {@code rocketmq-cluster} (two master-only broker groups behind
 * two proxies): the workload's topic and groups are on both groups, each group's master leads its own
 * queues, and {@code broker-a}'s is killed with SIGKILL mid-stream; sends go on to {@code broker-b}, and
 * {@code broker-a} is started again after the fault duration (what it stored waits for it). Short mode (one
 * run) in {@code scripts/test.d/71-rocketmq-cluster}; {@code -Dunimq.fault.mode=full} for the figures of
 * docs/reliability.md. {@link RocketMqProxyFailoverIT} kills a proxy instead. Kills a node: run only with
 * the topology up and nothing else using it.
 */
class RocketMqFailoverIT extends MqFaultKit {
  @Override
  protected String broker() {
    return RocketClusterBroker.TOPOLOGY;
  }

  @Override
  protected MqClient connect() {
    return Mq.connect(RocketClusterBroker.uri());
  }

  @Override
  protected Set<Fault> faults(Set<Fault> modeFaults) {
    return EnumSet.of(Fault.NODE_KILL);
  }

  @Override
  protected String leadingNode(String topic, String group) {
    return "broker-a";
  }

  @Override
  protected void killNode(String node) {
    RocketClusterBroker.kill(node);
  }

  @Override
  protected void startNodes() {
    RocketClusterBroker.up();
  }
}
