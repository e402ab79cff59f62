package io.unimq.cli;

import io.unimq.testbrokers.TestBrokers;

class KafkaCliIT extends BrokerCliIT {
  /** A loaded test machine can take more than the default 5 s to answer the first request. */
  @Override
  String uri() {
    String uri = TestBrokers.kafkaUri();
    return uri + (uri.contains("?") ? "&" : "?") + "connectTimeout=30s";
  }
}
