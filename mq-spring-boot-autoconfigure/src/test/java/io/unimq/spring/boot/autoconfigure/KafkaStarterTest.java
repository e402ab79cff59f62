package io.unimq.spring.boot.autoconfigure;

/** Needs UNIMQ_KAFKA_URI (scripts/brokers env); a broker that is down fails. */
class KafkaStarterTest extends StarterBrokerTest {
  @Override
  String uri() {
    return BrokerUris.require("UNIMQ_KAFKA_URI");
  }
}
