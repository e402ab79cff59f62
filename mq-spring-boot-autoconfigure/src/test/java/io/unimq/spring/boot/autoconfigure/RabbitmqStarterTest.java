package io.unimq.spring.boot.autoconfigure;

/** Needs UNIMQ_RABBITMQ_URI (scripts/brokers env); a broker that is down fails. */
class RabbitmqStarterTest extends StarterBrokerTest {
  @Override
  String uri() {
    return BrokerUris.require("UNIMQ_RABBITMQ_URI");
  }
}
