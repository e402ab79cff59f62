package io.unimq.spring.boot.autoconfigure;

/** Needs UNIMQ_REDIS_URI (scripts/brokers env); a broker that is down fails. */
class RedisStarterTest extends StarterBrokerTest {
  @Override
  String uri() {
    return BrokerUris.require("UNIMQ_REDIS_URI");
  }
}
