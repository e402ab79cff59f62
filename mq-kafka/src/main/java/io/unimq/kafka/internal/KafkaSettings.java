package io.unimq.kafka.internal;

import io.unimq.kafka.KafkaProvider;
import io.unimq.spi.MqConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The parsed {@code kafka://} parameters and the client properties built from them. Immutable. */
record KafkaSettings(String bootstrap, int partitions, int maxMessageSize, Duration linger, int batchSize,
    Duration sessionTimeout, Duration heartbeatInterval, Duration connectTimeout, Duration revokeDrain,
    Duration sendTimeout, int sendRetries, Map<String, String> vendor) {

  static final Set<String> PARAMETERS = Set.of("partitions", "maxMessageSize", "linger", "batchSize",
      "sessionTimeout", "heartbeatInterval", "connectTimeout", "revokeDrain");
  /** Kafka's own framing around a message: batch header, record header, header keys. */
  static final int FRAMING = 64 * 1024;

  static KafkaSettings of(MqConfig c) {
    String bootstrap = c.host() + ":" + c.port(9092);
    if (!c.path().isEmpty()) {
      throw new io.unimq.api.MqConfigurationException("kafka:// takes no path, was '/" + c.path() + "'; list more brokers as kafka.bootstrap.servers");
    }
    return new KafkaSettings(bootstrap,
        c.integer("partitions", KafkaProvider.DEFAULT_PARTITIONS, 1, 10_000),
        c.integer("maxMessageSize", KafkaProvider.DEFAULT_MAX_MESSAGE_SIZE, 1, 64 * 1024 * 1024),
        c.duration("linger", Duration.ofMillis(5)),
        c.integer("batchSize", 128 * 1024, 0, 16 * 1024 * 1024),
        c.duration("sessionTimeout", Duration.ofSeconds(10)),
        c.duration("heartbeatInterval", Duration.ofSeconds(1)),
        c.duration("connectTimeout", Duration.ofSeconds(5)),
        c.duration("revokeDrain", Duration.ofSeconds(2)),
        c.sendTimeout(), // the engine's: Kafka retries a send for its
        c.sendRetries(), // whole retry budget (see producer)
        c.vendorParameters());
  }

  /** The engine's retry budget for one send: {@code sendTimeout × (sendRetries + 1)}. */
  Duration deliveryBudget() {
    return sendTimeout.multipliedBy(sendRetries + 1L);
  }

  /** Largest Kafka record or request, framing included. */
  int wireLimit() {
    return maxMessageSize + FRAMING;
  }

  private Properties common(String clientId) {
    Properties p = new Properties();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    p.put(CommonClientConfigs.RECONNECT_BACKOFF_MS_CONFIG, "100");
    p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
    p.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, Long.toString(connectTimeout.toMillis()));
    p.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, Long.toString(Math.max(connectTimeout.toMillis(), 10_000)));
    return p;
  }

  private Properties withVendor(Properties p) {
    p.putAll(vendor);
    return p;
  }

  Properties admin(String clientId) {
    Properties p = common(clientId);
    p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, "15000");
    p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    return withVendor(p);
  }

  Properties producer(String clientId) {
    Properties p = common(clientId);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    p.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(linger.toMillis()));
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(batchSize));
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(wireLimit()));
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    // Kafka retries a send (the same record: the broker drops duplicates) until then and then reports
    // it failed: the engine's whole retry budget, so that the engine neither retries nor times sends
    // out itself (see KafkaTransport.sendTiming), and at least what Kafka requires (linger +
    // request timeout)
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(deliveryBudget().toMillis(), linger.toMillis() + 10_000)));
    return withVendor(p);
  }

  Properties consumer(String clientId, String groupId) {
    Properties p = common(clientId);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    if (groupId != null) {
      p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    }
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(sessionTimeout.toMillis()));
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(heartbeatInterval.toMillis()));
    p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "300000");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(Math.max(1024 * 1024, wireLimit())));
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
    // the operating system's socket receive buffer (autotuned), not Kafka's fixed 64 KiB: with that,
    // a fetch response of a few hundred KiB overran it on loopback, the kernel dropped segments, and
    // the fetch waited out TCP's 200 ms retransmission timeout several times a second
    p.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, "-1");
    p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "30000");
    return withVendor(p);
  }
}
