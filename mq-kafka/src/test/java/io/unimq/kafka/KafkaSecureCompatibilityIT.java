package io.unimq.kafka;

/**
 * The compatibility kit against the secured Kafka ({@code UNIMQ_KAFKA_SECURE_URI}: SASL_SSL, SCRAM-SHA-512,
 * ACLs on, as the super user). Security is per connection and changes no area's semantics, so
 * {@code scripts/test.d/62-kafka-secure} runs, with {@code -Dunimq.tck.areas}, the areas that use every client
 * Kafka makes (producer, group consumers, admin) and unimq's internal topics and groups: Produce, Groups,
 * DeadLetter, Transactions.
 */
class KafkaSecureCompatibilityIT extends KafkaCompatibilityTest {
  @Override
  protected String uri() {
    return KafkaSecureSupport.uri() + "&sessionTimeout=6s&heartbeatInterval=300ms&txCheckInterval=2s&connectTimeout=15s";
  }
}
