package io.unimq.kafka.internal;

import io.unimq.api.Capability;
import io.unimq.spi.MqConfig;
import io.unimq.spi.MqProvider;
import io.unimq.spi.Transport;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code kafka-slowdlq://}: kafka:// whose dead-letter reads gather records for 1 ms only, so a
 * dead-letter set of a few thousand is "too large to read in the limit" (the limit is 30 s).
 */
public final class SlowDeadLetterReadsProvider implements MqProvider {
  @Override
  public String scheme() {
    return "kafka-slowdlq";
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
    return new KafkaTransport(KafkaSettings.from(config), Duration.ofMillis(1));
  }
}
