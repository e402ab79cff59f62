package io.unimq.examples.orders;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** On the default broker: only the topic is set, unimq.uri stays memory://. */
class MemoryOrdersHttpTest extends OrdersHttpTest {
  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    topic(registry);
  }
}
