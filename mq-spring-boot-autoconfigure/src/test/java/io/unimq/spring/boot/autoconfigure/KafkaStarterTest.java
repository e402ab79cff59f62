package io.unimq.spring.boot.autoconfigure;

/** Needs UNIMQ_KAFKA_URI (scripts/brokers env); a broker that is down fails. */
class KafkaStarterTest extends StarterBrokerTest {
  @Override
  String uri() {
    return BrokerUris.require("UNIMQ_KAFKA_URI");
  }

  /** A loaded CI machine may take longer than the default 5 s to answer the first metadata request. */
  @Override
  String[] parameters() {
    return new String[] {"unimq.parameters.connectTimeout=30s"};
  }
}
