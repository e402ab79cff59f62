package io.unimq.cli;

import io.unimq.testbrokers.TestBrokers;

class RocketMqCliIT extends BrokerCliIT {
  @Override
  String uri() {
    return TestBrokers.rocketmqUri();
  }
}
