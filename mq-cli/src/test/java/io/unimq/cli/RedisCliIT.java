package io.unimq.cli;

import io.unimq.testbrokers.TestBrokers;

class RedisCliIT extends BrokerCliIT {
  @Override
  String uri() {
    return TestBrokers.redisUri();
  }
}
