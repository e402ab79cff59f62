package io.unimq.rocketmq;

/**
 * {@link RocketMqFailoverIT} with the loss of a proxy instead of a broker group: {@code proxy1}, the first
 * of the URI, which the client's gRPC channel uses first, is killed; sends and consumption move to
 * {@code proxy2} without the application doing anything. Reported as {@code rocketmq-cluster-proxy}.
 */
class RocketMqProxyFailoverIT extends RocketMqFailoverIT {
  @Override
  protected String broker() {
    return RocketClusterBroker.TOPOLOGY + "-proxy";
  }

  @Override
  protected String leadingNode(String topic, String group) {
    return "proxy1";
  }
}
