package io.unimq.kafka.internal;

import io.unimq.api.MqConfigurationException;
import io.unimq.spi.MqConfig;
import io.unimq.spi.TlsSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.List;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The parsed {@code kafka://} URI: every adapter parameter read and validated here, once, and the
 * client properties built from them. Immutable, thread-safe.
 *
 * <p>Internal and unstable: public only for {@link io.unimq.kafka.KafkaProvider}; not part of unimq's API and may change
 * in any release.
 */
public record KafkaSettings(String bootstrap, int partitions, int maxMessageSize, Duration linger, int batchSize,
    Duration sessionTimeout, Duration heartbeatInterval, Duration connectTimeout, Duration revokeDrain,
    Duration sendTimeout, int sendRetries, int replicationFactor, int minInsyncReplicas, Map<String, String> vendor,
    KafkaSecurity security) {

  public static final String PARTITIONS = "partitions";
  public static final String MAX_MESSAGE_SIZE = "maxMessageSize";
  public static final String LINGER = "linger";
  public static final String BATCH_SIZE = "batchSize";
  public static final String SESSION_TIMEOUT = "sessionTimeout";
  public static final String HEARTBEAT_INTERVAL = "heartbeatInterval";
  public static final String REVOKE_DRAIN = "revokeDrain";
  public static final String REPLICATION_FACTOR = "replicationFactor";
  public static final String MIN_INSYNC_REPLICAS = "minInsyncReplicas";
  /** {@link #replicationFactor} and {@link #minInsyncReplicas} when the URI leaves them to the cluster's size. */
  public static final int AUTO = 0;
  /** The {@code kafka://} parameters (the core ones, {@code connectTimeout} among them, are the engine's). */
  public static final Set<String> PARAMETERS = parameters();

  private static Set<String> parameters() {
    Set<String> p = new TreeSet<>(List.of(PARTITIONS, MAX_MESSAGE_SIZE, LINGER, BATCH_SIZE, SESSION_TIMEOUT,
        HEARTBEAT_INTERVAL, REVOKE_DRAIN, REPLICATION_FACTOR, MIN_INSYNC_REPLICAS));
    p.addAll(KafkaSecurity.PARAMETERS);
    p.addAll(TlsSettings.PARAMETERS);
    return Set.copyOf(p);
  }

  public static final int DEFAULT_PORT = 9092;
  /** Partitions of a new topic: {@value}. */
  public static final int DEFAULT_PARTITIONS = 8;
  /** Largest message ({@link io.unimq.api.Message#approximateSize()}): 2 MiB, so a 1 MiB body with headers fits. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 2 * 1024 * 1024;
  public static final int DEFAULT_BATCH_SIZE = 128 * 1024;
  /** Kafka's own framing around a message: batch header, record header, header keys. */
  static final int FRAMING = 64 * 1024;

  /** Reads and validates {@code c}. */
  public static KafkaSettings from(MqConfig c) {
    if (!c.path().isEmpty()) {
      throw new MqConfigurationException("kafka:// takes no path, was '/" + c.path() + "'; list more brokers in the authority:"
          + " kafka://h1:9092,h2:9092,h3:9092");
    }
    int replication = c.integer(REPLICATION_FACTOR, AUTO, 1, Short.MAX_VALUE);
    int minInsync = c.integer(MIN_INSYNC_REPLICAS, AUTO, 1, Short.MAX_VALUE);
    if (replication != AUTO && minInsync != AUTO && minInsync > replication) {
      throw new MqConfigurationException("parameter '" + MIN_INSYNC_REPLICAS + "' (" + minInsync + ") must not exceed '"
          + REPLICATION_FACTOR + "' (" + replication + "): no send with acks=all could ever succeed");
    }
    KafkaSettings s = new KafkaSettings(String.join(",", c.hostPorts(DEFAULT_PORT)),
        c.integer(PARTITIONS, DEFAULT_PARTITIONS, 1, 10_000),
        c.integer(MAX_MESSAGE_SIZE, DEFAULT_MAX_MESSAGE_SIZE, 1, 64 * 1024 * 1024),
        c.duration(LINGER, Duration.ofMillis(5)),
        c.integer(BATCH_SIZE, DEFAULT_BATCH_SIZE, 0, 16 * 1024 * 1024),
        c.positiveDuration(SESSION_TIMEOUT, Duration.ofSeconds(10)),
        c.positiveDuration(HEARTBEAT_INTERVAL, Duration.ofSeconds(1)),
        c.connectTimeout(),
        c.duration(REVOKE_DRAIN, Duration.ofSeconds(2)),
        c.sendTimeout(), // the engine's: Kafka retries a send for its
        c.sendRetries(), // whole retry budget (see producer)
        replication, minInsync,
        c.vendorParameters(),
        KafkaSecurity.from(c));
    s.validateVendor();
    return s;
  }

  /**
   * Checks every {@code kafka.<setting>} with the Kafka client's own definitions (name, type and
   * allowed values) before any client is made: a setting no Kafka client knows, or a value the client
   * would refuse, is an {@link MqConfigurationException} naming it.
   */
  private void validateVendor() {
    Set<String> known = new TreeSet<>(ProducerConfig.configNames());
    known.addAll(ConsumerConfig.configNames());
    known.addAll(AdminClientConfig.configNames());
    for (Map.Entry<String, String> v : vendor.entrySet()) {
      if (!known.contains(v.getKey())) {
        throw new MqConfigurationException("unknown vendor setting 'kafka." + v.getKey() + "': no Kafka producer, consumer or"
            + " admin client setting has that name (see https://kafka.apache.org/documentation/#configuration)");
      }
      KafkaSettings one = new KafkaSettings(bootstrap, partitions, maxMessageSize, linger, batchSize, sessionTimeout,
          heartbeatInterval, connectTimeout, revokeDrain, sendTimeout, sendRetries, replicationFactor, minInsyncReplicas,
          Map.of(v.getKey(), v.getValue()), security);
      try {
        ProducerConfig.configDef().parse(one.producer("unimq-check"));
        ConsumerConfig.configDef().parse(one.consumer("unimq-check", "unimq-check"));
        AdminClientConfig.configDef().parse(one.admin("unimq-check"));
      } catch (ConfigException e) {
        // the client's message names the setting; a secret's value is shown by neither
        String shown = MqConfig.isSecretParameter(v.getKey()) || v.getKey().endsWith(".password") ? "****" : v.getValue();
        throw new MqConfigurationException("vendor setting 'kafka." + v.getKey() + "=" + shown + "' is refused by the Kafka client: "
            + (shown.equals(v.getValue()) ? e.getMessage() : "invalid value for " + e.getMessage().replace(v.getValue(), "****")), null);
      }
    }
  }

  /** Every setting, the values of secret vendor settings masked (a record's own would show them). */
  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    vendor.forEach((k, v) -> shown.put(k, MqConfig.isSecretParameter(k) || k.endsWith(".password") ? "****" : v));
    return "KafkaSettings[bootstrap=" + bootstrap + ", partitions=" + partitions + ", maxMessageSize=" + maxMessageSize
        + ", linger=" + linger + ", batchSize=" + batchSize + ", sessionTimeout=" + sessionTimeout + ", heartbeatInterval="
        + heartbeatInterval + ", connectTimeout=" + connectTimeout + ", revokeDrain=" + revokeDrain + ", sendTimeout="
        + sendTimeout + ", sendRetries=" + sendRetries + ", replicationFactor=" + replicationFactor
        + ", minInsyncReplicas=" + minInsyncReplicas + ", vendor=" + shown + ", security=" + security + "]";
  }

  /** The engine's budget for one send, retries included: {@code sendTimeout}. */
  Duration deliveryBudget() {
    return sendTimeout;
  }

  /** Kafka's wait for one produce request: 10 s, less when the budget is shorter (at least 1 s). */
  private long requestTimeoutMs() {
    return Math.max(1_000, Math.min(10_000, sendTimeout.toMillis() - linger.toMillis()));
  }

  /**
   * The replication factor of the topics the adapter creates on a cluster of {@code brokers} live
   * brokers: the {@code replicationFactor} parameter, else {@code min(3, brokers)}.
   *
   * @throws MqConfigurationException the parameter asks for more replicas than the cluster has brokers
   */
  short replicas(int brokers) {
    if (replicationFactor == AUTO) {
      return (short) Math.max(1, Math.min(3, brokers));
    }
    if (replicationFactor > brokers) {
      throw new MqConfigurationException("parameter '" + REPLICATION_FACTOR + "' is " + replicationFactor + " but the Kafka cluster at "
          + bootstrap + " has " + brokers + " live broker(s): give at most " + brokers + ", or leave it out for min(3, brokers)");
    }
    return (short) replicationFactor;
  }

  /**
   * The {@code min.insync.replicas} of the topics the adapter creates with {@code replicas} replicas:
   * the {@code minInsyncReplicas} parameter, else 2 when there are at least 3 replicas, else none (the
   * broker's default).
   *
   * @throws MqConfigurationException the parameter is larger than {@code replicas}
   */
  Integer minInsync(short replicas) {
    if (minInsyncReplicas == AUTO) {
      return replicas >= 3 ? 2 : null;
    }
    if (minInsyncReplicas > replicas) {
      throw new MqConfigurationException("parameter '" + MIN_INSYNC_REPLICAS + "' is " + minInsyncReplicas + " but topics get "
          + replicas + " replica(s): give at most " + replicas + " (with more, no send with acks=all could succeed)");
    }
    return minInsyncReplicas;
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
    security.apply(p);
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
    // a send blocks at most this long for metadata (while the cluster is down), within its budget
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(Math.min(10_000, sendTimeout.toMillis())));
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(requestTimeoutMs()));
    // Kafka retries a send (the same record: the broker drops duplicates) until then and then reports
    // it failed: the engine's whole retry budget, so that the engine neither retries nor times sends
    // out itself (see KafkaTransport.sendTiming), and at least what Kafka requires (linger +
    // request timeout)
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(deliveryBudget().toMillis(), linger.toMillis() + requestTimeoutMs())));
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
