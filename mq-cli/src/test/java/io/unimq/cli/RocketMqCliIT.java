package io.unimq.cli;

import io.unimq.testbrokers.TestBrokers;

class RocketMqCliIT extends BrokerCliIT {
  @Override
  String uri() {
    return TestBrokers.rocketmqUri();
  }

  /** The proxy holds a closed consumer's connection for up to two minutes: the adapter refuses to delete the group. */
  @Override
  boolean tailDeletesItsGroup() {
    return false;
  }
}
