package io.unimq.rabbit.internal;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.impl.recovery.RecordedBinding;
import com.rabbitmq.client.impl.recovery.RecordedConsumer;
import com.rabbitmq.client.impl.recovery.RecordedExchange;
import com.rabbitmq.client.impl.recovery.RecordedQueue;
import com.rabbitmq.client.impl.recovery.TopologyRecoveryFilter;
import io.unimq.api.MqConfigurationException;
import io.unimq.spi.MqConfig;
import io.unimq.spi.TlsSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The parsed {@code rabbitmq://} URI: address, credentials, virtual host, adapter parameters and
 * vendor pass-through ({@code rabbitmq.<setting>}). Every parameter is read and validated here, once;
 * the core {@code connectTimeout} and {@code sendTimeout} come from {@link MqConfig}. Immutable,
 * thread-safe.
 *
 * <p>Internal and unstable: public only for {@link io.unimq.rabbit.RabbitProvider}; not part of unimq's API and may change
 * in any release.
 */
public record RabbitSettings(String host, int port, String user, String password, String vhost, int partitions,
    int managementPort, int confirmWindow, int maxMessageSize, Duration connectTimeout, Duration recoveryInterval,
    Duration sendTimeout, Map<String, String> vendor, TlsSettings tls) {

  public static final String PARTITIONS = "partitions";
  public static final String MANAGEMENT_PORT = "managementPort";
  public static final String CONFIRM_WINDOW = "confirmWindow";
  public static final String MAX_MESSAGE_SIZE = "maxMessageSize";
  public static final String RECOVERY_INTERVAL = "recoveryInterval";
  /** The adapter's own parameters (core ones such as {@code connectTimeout} are the engine's). */
  public static final Set<String> PARAMETERS = TlsSettings.withSecurityParameters(
      Set.of(PARTITIONS, MANAGEMENT_PORT, CONFIRM_WINDOW, MAX_MESSAGE_SIZE, RECOVERY_INTERVAL));

  public static final int DEFAULT_PORT = 5672;
  public static final int DEFAULT_TLS_PORT = 5671;
  public static final int DEFAULT_MANAGEMENT_PORT = 15672;
  public static final int DEFAULT_PARTITIONS = 4;
  public static final int DEFAULT_CONFIRM_WINDOW = 1024;
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024;
  public static final Duration DEFAULT_RECOVERY_INTERVAL = Duration.ofSeconds(1);

  /** Reads and validates {@code config}; throws {@link MqConfigurationException} naming a bad parameter. */
  public static RabbitSettings from(MqConfig config) {
    String vhost = config.path().isEmpty() ? "/" : config.path();
    TlsSettings tls = TlsSettings.from(config, false);
    RabbitSettings s = new RabbitSettings(config.host(), config.port(tls.enabled() ? DEFAULT_TLS_PORT : DEFAULT_PORT), config.user("guest"),
        config.password("guest"), vhost,
        config.integer(PARTITIONS, DEFAULT_PARTITIONS, 1, RabbitNames.SLOTS),
        config.integer(MANAGEMENT_PORT, DEFAULT_MANAGEMENT_PORT, 1, 65535),
        config.integer(CONFIRM_WINDOW, DEFAULT_CONFIRM_WINDOW, 1, 1_000_000),
        config.integer(MAX_MESSAGE_SIZE, DEFAULT_MAX_MESSAGE_SIZE, 1, 128 * 1024 * 1024),
        config.connectTimeout(),
        config.positiveDuration(RECOVERY_INTERVAL, DEFAULT_RECOVERY_INTERVAL),
        config.sendTimeout(),
        config.vendorParameters(),
        tls);
    s.connectionFactory(); // validates vendor settings before any network use
    return s;
  }

  /** Without the password: {@code RabbitSettings[amqps://user@host:port/vhost, ...]}. */
  @Override
  public String toString() {
    return "RabbitSettings[" + (tls.enabled() ? "amqps://" : "amqp://") + user + "@" + address() + ", partitions=" + partitions
        + ", managementPort=" + managementPort + ", confirmWindow=" + confirmWindow + ", maxMessageSize=" + maxMessageSize
        + ", connectTimeout=" + connectTimeout + ", recoveryInterval=" + recoveryInterval + ", sendTimeout=" + sendTimeout
        + ", vendor=" + vendor + ", " + tls + "]";
  }

  /** {@code host:port/vhost}, for messages. */
  public String address() {
    return host + ":" + port + (vhost.equals("/") ? "/%2F" : "/" + vhost);
  }

  /**
   * A factory with automatic connection recovery and topology recovery of consumers. Exchanges,
   * queues and bindings are durable, so the broker keeps them; they are not re-declared on recovery
   * (re-declaring could resurrect a queue that another client deleted meanwhile).
   */
  ConnectionFactory connectionFactory() {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(host);
    f.setPort(port);
    f.setUsername(user);
    f.setPassword(password);
    f.setVirtualHost(vhost);
    f.setConnectionTimeout((int) connectTimeout.toMillis());
    f.setHandshakeTimeout((int) Math.max(connectTimeout.toMillis(), 1000));
    f.setAutomaticRecoveryEnabled(true);
    f.setTopologyRecoveryEnabled(true);
    f.setNetworkRecoveryInterval(recoveryInterval.toMillis());
    f.setExceptionHandler(new RecoveryGuard(this));
    f.setRequestedHeartbeat(10);
    if (tls.enabled()) {
      f.useSslProtocol(tls.sslContext());
      if (tls.verifyHostname()) {
        f.enableHostnameVerification();
      }
    }
    f.setTopologyRecoveryFilter(new TopologyRecoveryFilter() {
      @Override
      public boolean filterExchange(RecordedExchange e) {
        return false;
      }

      @Override
      public boolean filterQueue(RecordedQueue q) {
        return false;
      }

      @Override
      public boolean filterBinding(RecordedBinding b) {
        return false;
      }

      @Override
      public boolean filterConsumer(RecordedConsumer c) {
        return true;
      }
    });
    vendor.forEach((name, value) -> applyVendor(f, name, value));
    return f;
  }

  private static void applyVendor(ConnectionFactory f, String name, String value) {
    int v;
    try {
      v = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new MqConfigurationException("rabbitmq." + name + " must be an integer, was '" + value + "'", e);
    }
    if (v < 0) {
      throw new MqConfigurationException("rabbitmq." + name + " must be 0 or more, was " + v);
    }
    switch (name) {
      case "requestedHeartbeat" -> f.setRequestedHeartbeat(v);
      case "requestedChannelMax" -> f.setRequestedChannelMax(v);
      case "requestedFrameMax" -> f.setRequestedFrameMax(v);
      case "handshakeTimeout" -> f.setHandshakeTimeout(v);
      case "shutdownTimeout" -> f.setShutdownTimeout(v);
      case "channelRpcTimeout" -> f.setChannelRpcTimeout(v);
      case "workPoolTimeout" -> f.setWorkPoolTimeout(v);
      default -> throw new MqConfigurationException("unknown vendor setting 'rabbitmq." + name + "'; known: rabbitmq.requestedHeartbeat,"
          + " rabbitmq.requestedChannelMax, rabbitmq.requestedFrameMax, rabbitmq.handshakeTimeout (ms),"
          + " rabbitmq.shutdownTimeout (ms), rabbitmq.channelRpcTimeout (ms), rabbitmq.workPoolTimeout (ms)");
    }
  }
}
