/**
 * The {@code kafka://} adapter: {@link io.unimq.kafka.KafkaProvider}. How unimq maps onto Kafka
 * topics and consumer groups, its parameters, and the delay, retry, dead-letter and half-message
 * mechanics are documented in the module's {@code README.md} ({@code mq-kafka/README.md}).
 */
package io.unimq.kafka;
