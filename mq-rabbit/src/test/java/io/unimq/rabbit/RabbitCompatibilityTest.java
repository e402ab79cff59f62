package io.unimq.rabbit;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqCompatibilityKit;

/** The whole compatibility kit against the test RabbitMQ ({@code UNIMQ_RABBITMQ_URI}). */
class RabbitCompatibilityTest extends MqCompatibilityKit {
  @Override
  protected MqClient connect() {
    return Mq.connect(uri());
  }

  @Override
  protected String uri() {
    return RabbitTestBroker.uri();
  }
}
