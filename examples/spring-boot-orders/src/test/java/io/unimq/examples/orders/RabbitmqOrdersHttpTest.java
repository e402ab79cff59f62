package io.unimq.examples.orders;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Needs UNIMQ_RABBITMQ_URI (scripts/brokers env); a broker that is down fails. */
class RabbitmqOrdersHttpTest extends OrdersHttpTest {
  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    broker(registry, env("UNIMQ_RABBITMQ_URI"));
  }
}
