package io.unimq.rabbit;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqCompatibilityKit;

/**
 * The whole compatibility kit against the secured RabbitMQ (TLS, credentials, management API over HTTPS): every area, each on
 * connections that are TLS and authenticated. Run by scripts/test.d/60-rabbitmq-secure; its reports are kept apart from
 * the plain run's (target/topology-reports), so docs/compatibility.md shows the plain broker.
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
