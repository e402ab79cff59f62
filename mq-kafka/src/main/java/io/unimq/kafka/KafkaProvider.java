package io.unimq.kafka;

import io.unimq.api.Capability;
import io.unimq.kafka.internal.KafkaSettings;
import io.unimq.kafka.internal.KafkaTransport;
import io.unimq.spi.MqConfig;
import io.unimq.spi.MqProvider;
import io.unimq.spi.Transport;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code kafka://host:port[?partitions=8&linger=5ms&batchSize=131072&...]}: unimq over Apache
 * Kafka. A unimq topic is a Kafka topic (the key picks the partition), a group is a consumer group,
 * retries and {@code deliverAt} go through internal delay topics, dead letters to
 * {@code <topic>.<group>.dlq}, half messages to the compacted {@code unimq.half.<producerGroup>}.
 *
 * <p>Parameters (besides the core {@code connectTimeout}, {@code sendTimeout}, {@code sendRetries}
 * and {@code txCheckInterval}): {@code partitions} (8, of a topic the adapter creates),
 * {@code maxMessageSize} (2097152 bytes), {@code linger} (5ms) and {@code batchSize} (131072):
 * producer batching, {@code sessionTimeout} (10s) and {@code heartbeatInterval} (1s): group
 * membership, {@code revokeDrain} (2s): how long a member giving up a partition waits for its
 * in-flight handlers. Kafka client settings pass through as {@code kafka.<setting>}. The module's
 * {@code README.md} documents each, and the mechanics. Stateless and thread-safe.
 */
public final class KafkaProvider implements MqProvider {
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
    return KafkaSettings.PARAMETERS;
  }

  @Override
  public Transport connect(MqConfig config) {
    return new KafkaTransport(KafkaSettings.from(config));
  }
}
