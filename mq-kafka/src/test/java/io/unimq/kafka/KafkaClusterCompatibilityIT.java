package io.unimq.kafka;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqCompatibilityKit;
import java.time.Duration;

/**
 * The compatibility kit against the 3-node {@code kafka-cluster} topology ({@code UNIMQ_KAFKA_CLUSTER_URI}),
 * where every topic the adapter creates has 3 replicas and {@code min.insync.replicas} 2. The areas
 * whose rules go through replicated topics, partition leaders on several nodes and the group
 * coordinator are Produce, Groups, Ordering, Retry, DeadLetter, Delay, Transactions, Lag and Listing
 * (select them with {@code -Dunimq.tck.areas}); {@code scripts/test.d/50-kafka-cluster} runs Produce,
 * Ordering, Retry and Lag in CI's time budget, every one with {@code UNIMQ_KAFKA_CLUSTER_AREAS}. Not
 * part of the plain build ({@code *IT}).
 */
class KafkaClusterCompatibilityIT extends MqCompatibilityKit {
  @Override
  protected String uri() {
    return KafkaTestSupport.clusterUri();
  }

  @Override
  protected MqClient connect() {
    return Mq.connect(uri());
  }

  @Override
  protected Duration transactionCheckTimeout() {
    return Duration.ofSeconds(20);
  }
}
