package io.unimq.cli;

import io.unimq.testbrokers.TestBrokers;

class KafkaCliIT extends BrokerCliIT {
  @Override
  String uri() {
    return TestBrokers.kafkaUri();
  }
}
