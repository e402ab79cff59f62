package io.unimq.rabbit;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqCompatibilityKit;

/**
 * The compatibility kit against the 3-node {@code rabbitmq-cluster} ({@link RabbitClusterBroker#uri()}:
 * every node's address, so the client declares quorum queues). Not part of the plain build (the
 * topology is not up then): {@code scripts/test.d/51-rabbitmq-cluster} runs it with the areas whose
 * behaviour depends on the queue type and the cluster (see docs/clusters.md); without
 * {@code -Dunimq.tck.areas} it runs the whole kit.
 */
class RabbitClusterCompatibilityIT extends MqCompatibilityKit {
  @Override
  protected MqClient connect() {
    return Mq.connect(uri());
  }

  @Override
  protected String uri() {
    return RabbitClusterBroker.uri();
  }
}
