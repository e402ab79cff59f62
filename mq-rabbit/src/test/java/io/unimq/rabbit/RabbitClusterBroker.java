package io.unimq.rabbit;

import io.unimq.testbrokers.BrokerControl;

/**
 * The launcher's {@code rabbitmq-cluster} topology (3 nodes, {@code UNIMQ_RABBITMQ_CLUSTER_URI} from
 * {@code scripts/brokers env}) and its fault hooks. The topology must be up: {@code scripts/brokers up
 * rabbitmq-cluster}.
 */
final class RabbitClusterBroker {
  static final String TOPOLOGY = "rabbitmq-cluster";

  private RabbitClusterBroker() {}

  /** {@code UNIMQ_RABBITMQ_CLUSTER_URI}: every node's AMQP address and management API. */
  static String uri() {
    String uri = System.getenv("UNIMQ_RABBITMQ_CLUSTER_URI");
    if (uri == null || uri.isBlank()) {
      uri = System.getProperty("unimq.rabbitmq.cluster.uri");
    }
    if (uri == null || uri.isBlank()) {
      throw new IllegalStateException("UNIMQ_RABBITMQ_CLUSTER_URI is not set: run eval \"$(scripts/brokers env)\" and"
          + " scripts/brokers up rabbitmq-cluster first");
    }
    return uri;
  }

  /** The node leading quorum queue {@code queue} ({@code scripts/brokers leader rabbitmq-cluster QUEUE}), e.g. {@code node2}. */
  static String leader(String queue) {
    String out = BrokerControl.run("leader", TOPOLOGY, queue).trim();
    return out.split("\\s+")[0];
  }

  /** SIGKILLs one node ({@code node1} .. {@code node3}). */
  static void kill(String node) {
    BrokerControl.run("kill", TOPOLOGY, node);
  }

  /** Starts the nodes that are down; returns when the cluster is whole. */
  static void up() {
    BrokerControl.run("up", TOPOLOGY);
  }
}
