package io.unimq.kafka;

/** Where the test broker is, with short group timeouts so that joins and leaves are quick. */
final class KafkaTestSupport {
  private KafkaTestSupport() {}

  static String base() {
    return io.unimq.testbrokers.TestBrokers.kafkaUri();
  }

  static String uri() {
    String b = base();
    return b + (b.contains("?") ? "&" : "?") + "sessionTimeout=6s&heartbeatInterval=300ms&txCheckInterval=2s&connectTimeout=15s";
  }
}
