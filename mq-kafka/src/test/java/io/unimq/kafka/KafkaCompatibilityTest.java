package io.unimq.kafka;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqCompatibilityKit;
import java.time.Duration;

/** The whole compatibility kit against the test Kafka ({@code UNIMQ_KAFKA_URI}). */
class KafkaCompatibilityTest extends MqCompatibilityKit {
  @Override
  protected String uri() {
    return KafkaTestSupport.uri();
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
