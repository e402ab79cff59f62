package io.unimq.rabbit;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqCompatibilityKit;

/**
 * The compatibility kit against the 3-node {@code rabbitmq-cluster} ({@link RabbitClusterBroker#uri()}:
 * every node's address, so the client declares quorum queues). Not part of the plain build (the
 * topology is not up then): the areas whose behaviour depends on the queue type or on several nodes are
 * Produce (confirms from quorum queues), Groups (fan-out
 * to quorum group queues), Ordering (single-active-consumer quorum partitions), Retry and Delay (the
 * quorum delay ladder's at-least-once dead-lettering), DeadLetter (reading in place with
 * {@code basic.get} and requeue on a quorum queue), Lag and Listing (the management API of several
 * nodes) and ManualAck (requeue on quorum queues). The others check the engine or validation before
 * the network (BadInput, Batch, Pause, Tracing, Idempotency, Health, Lifecycle: the same code whatever
 * the queues) or the half-message queues (Transactions: every check-back waits seconds; the quorum half
 * store is checked by {@link RabbitQuorumCompatibilityIT}). {@code scripts/test.d/51-rabbitmq-cluster} runs those
 * areas but Delay (its 1 s tolerance and CI's load). Without {@code -Dunimq.tck.areas} it runs the whole kit.
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
