package io.unimq.rabbit;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqCompatibilityKit;

/**
 * The compatibility kit on the single-node test RabbitMQ with {@code queueType=quorum}: every feature on
 * quorum queues without a cluster's cost. Not part of the plain build (the single-node default is
 * classic, which {@link RabbitCompatibilityTest} checks); run it with
 * {@code -Dtest=RabbitQuorumCompatibilityIT} (optionally {@code -Dunimq.tck.areas=...}).
 */
class RabbitQuorumCompatibilityIT extends MqCompatibilityKit {
  @Override
  protected MqClient connect() {
    return Mq.connect(uri());
  }

  @Override
  protected String uri() {
    return RabbitTestBroker.uri() + "&queueType=quorum";
  }
}
