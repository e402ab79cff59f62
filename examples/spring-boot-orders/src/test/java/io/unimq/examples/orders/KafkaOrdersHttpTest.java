package io.unimq.examples.orders;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Needs UNIMQ_KAFKA_URI (scripts/brokers env); a broker that is down fails. */
class KafkaOrdersHttpTest extends OrdersHttpTest {
  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    broker(registry, env("UNIMQ_KAFKA_URI"));
    // a loaded CI machine may take longer than the default 5 s to answer the first metadata request
    registry.add("unimq.parameters.connectTimeout", () -> "30s");
  }
}
