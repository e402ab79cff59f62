package io.unimq.rabbit;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqCompatibilityKit;

/**
 * The compatibility kit against the secured RabbitMQ ({@code rabbitmq-secure}: AMQPS, credentials,
 * management API over HTTPS). TLS and credentials act on the connection only, so CI runs the areas that
 * use every connection-level path: Produce and Groups (publish and consume connections), Delay and
 * DeadLetter (the delay ladder and dead-letter queues), Lag and Listing (the management API over HTTPS)
 * and Health; the others add nothing per connection (scripts/test.d/60-rabbitmq-secure).
 */
class RabbitSecureCompatibilityIT extends MqCompatibilityKit {
  @Override
  protected MqClient connect() {
    return Mq.connect(uri());
  }

  @Override
  protected String uri() {
    return RabbitSecureTestBroker.uri();
  }
}
