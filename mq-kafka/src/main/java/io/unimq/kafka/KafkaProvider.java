package io.unimq.kafka;

import io.unimq.api.Capability;
import io.unimq.kafka.internal.KafkaTransport;
import io.unimq.spi.MqConfig;
import io.unimq.spi.MqProvider;
import io.unimq.spi.Transport;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code kafka://host:port[,host2:port2][?partitions=8&linger=5ms&batchSize=131072&...]}: unimq over
 * Apache Kafka. A unimq topic is a Kafka topic (the key picks the partition), a group is a
 * consumer group, retries and {@code deliverAt} go through internal delay topics, dead letters to
 * {@code <topic>.<group>.dlq}, half messages to the compacted {@code unimq.half.<producerGroup>}.
 * Every parameter is listed in {@link #parameters()}; Kafka client settings pass through as
 * {@code kafka.<setting>}. Stateless and thread-safe.
 */
public final class KafkaProvider implements MqProvider {
  /** Partitions of a new topic: {@value}. */
  public static final int DEFAULT_PARTITIONS = 8;
  /** Largest message ({@link io.unimq.api.Message#approximateSize()}): 2 MiB, so a 1 MiB body with headers fits. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 2 * 1024 * 1024;

  @Override
  public String scheme() {
    return "kafka";
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.allOf(Capability.class);
  }

  @Override
  public Set<String> parameters() {
    return KafkaTransport.PARAMETERS;
  }

  @Override
  public Transport connect(MqConfig config) {
    return KafkaTransport.connect(config);
  }
}
