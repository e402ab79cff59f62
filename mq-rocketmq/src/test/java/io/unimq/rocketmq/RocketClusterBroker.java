package io.unimq.rocketmq;

import io.unimq.testbrokers.BrokerControl;

/**
 * The launcher's {@code rocketmq-cluster} topology (a name server, broker groups {@code broker-a} and
 * {@code broker-b}, each a single master, and two proxies; {@code UNIMQ_ROCKETMQ_CLUSTER_URI} from {@code
 * scripts/brokers env}) and its fault hooks. The topology must be up: {@code scripts/brokers up rocketmq-cluster}.
 */
final class RocketClusterBroker {
  static final String TOPOLOGY = "rocketmq-cluster";

  private RocketClusterBroker() {}

  /** {@code UNIMQ_ROCKETMQ_CLUSTER_URI}: both proxies and the name server. */
  static String uri() {
    String uri = System.getenv("UNIMQ_ROCKETMQ_CLUSTER_URI");
    if (uri == null || uri.isBlank()) {
      uri = System.getProperty("unimq.rocketmq.cluster.uri");
    }
    if (uri == null || uri.isBlank()) {
      throw new IllegalStateException("UNIMQ_ROCKETMQ_CLUSTER_URI is not set: run eval \"$(scripts/brokers env)\" and"
          + " scripts/brokers up rocketmq-cluster first");
    }
    return uri;
  }

  /** SIGKILLs one node ({@code broker-a}, {@code broker-b}, {@code proxy1}, ...). */
  static void kill(String node) {
    BrokerControl.run("kill", TOPOLOGY, node);
  }

  /** Starts the nodes that are down; returns when the topology is whole. */
  static void up() {
    BrokerControl.run("up", TOPOLOGY);
  }
}
