package io.unimq.rocketmq;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;

/**
 * The compatibility kit against the secured RocketMQ (TLS on every port, ACL 2.0 user {@code unimq}), with the plain
 * test broker's timings (same broker configuration): connection-level security changes nothing per area, so
 * scripts/test.d/70-rocketmq-secure runs the areas that use each client unimq makes (producer, consumers, admin path,
 * transactions). Its reports are kept apart from the plain run's (target/topology-reports), so
 * docs/compatibility.md shows the plain broker.
 */
class RocketMqSecureCompatibilityIT extends RocketMqCompatibilityTest {
  @Override
  protected MqClient connect() {
    return Mq.connect(uri());
  }

  @Override
  protected String uri() {
    return RocketMqSecureTestBroker.uri();
  }
}
