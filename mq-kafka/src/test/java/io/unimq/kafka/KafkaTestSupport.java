package io.unimq.kafka;

/** Where the test broker is, with short group timeouts so that joins and leaves are quick. */
final class KafkaTestSupport {
  private KafkaTestSupport() {}

  static String base() {
    return io.unimq.testbrokers.TestBrokers.kafkaUri();
  }

  static String uri() {
    return withTestTimeouts(base());
  }

  /** {@code base} with the tests' short group timeouts. */
  static String withTestTimeouts(String b) {
    return b + (b.contains("?") ? "&" : "?") + "sessionTimeout=6s&heartbeatInterval=300ms&txCheckInterval=2s&connectTimeout=15s";
  }

  /** The 3-node {@code kafka-cluster} topology ({@code UNIMQ_KAFKA_CLUSTER_URI}, else {@code scripts/brokers.env}), with {@link #uri()}'s timeouts. */
  static String clusterUri() {
    String b = System.getenv("UNIMQ_KAFKA_CLUSTER_URI");
    if (b == null || b.isBlank()) {
      b = "kafka://" + java.util.Arrays.stream(io.unimq.testbrokers.TestBrokers.env("KAFKA_CLUSTER_PORTS").split(","))
          .map(p -> "127.0.0.1:" + p.trim()).collect(java.util.stream.Collectors.joining(","));
    }
    return withTestTimeouts(b);
  }
}
