package io.unimq.rabbit.internal;

import com.rabbitmq.client.Address;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsed {@code rabbitmq://} URI: the AMQP addresses (one, or every node of a cluster), the
 * management API's addresses, credentials, virtual host, adapter parameters and vendor pass-through
 * ({@code rabbitmq.<setting>}). Every parameter is read and validated here, once;
 * the core {@code connectTimeout} and {@code sendTimeout} come from {@link MqConfig}. Immutable,
 * thread-safe.
 *
 * <p>Internal and unstable: public only for {@link io.unimq.rabbit.RabbitProvider}; not part of unimq's API and may change
 * in any release.
 */
public record RabbitSettings(List<Address> addresses, String user, String password, String vhost, int partitions,
    List<String> management, QueueType queueType, QueueType delayLadder, int confirmWindow, int maxMessageSize, Duration connectTimeout,
    Duration recoveryInterval, Duration sendTimeout, Map<String, String> vendor, TlsSettings tls) {

  /**
   * The type of the queues unimq declares ({@code queueType}), or of the delay ladder's queues ({@code delayLadder});
   * {@code null} in the settings means "decide at connect".
   */
  public enum QueueType {
    CLASSIC, QUORUM;

    String parameterValue() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static final String PARTITIONS = "partitions";
  public static final String MANAGEMENT_PORT = "managementPort";
  public static final String CONFIRM_WINDOW = "confirmWindow";
  public static final String MAX_MESSAGE_SIZE = "maxMessageSize";
  public static final String RECOVERY_INTERVAL = "recoveryInterval";
  public static final String MANAGEMENT = "management";
  public static final String QUEUE_TYPE = "queueType";
  public static final String DELAY_LADDER = "delayLadder";
  /** The adapter's own parameters (core ones such as {@code connectTimeout} are the engine's). */
  public static final Set<String> PARAMETERS = TlsSettings.withSecurityParameters(Set.of(PARTITIONS, MANAGEMENT_PORT,
      MANAGEMENT, QUEUE_TYPE, DELAY_LADDER, CONFIRM_WINDOW, MAX_MESSAGE_SIZE, RECOVERY_INTERVAL));
  private static final Pattern HOST_PORT = Pattern.compile("(\\[[^\\]]+\\]|[^:\\[\\]/?#@\\s]+)(?::(\\d{1,5}))?");

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
    List<Address> addresses = new ArrayList<>();
    for (MqConfig.Address a : config.addresses()) {
      addresses.add(new Address(a.host(), a.port() < 0 ? (tls.enabled() ? DEFAULT_TLS_PORT : DEFAULT_PORT) : a.port()));
    }
    int managementPort = config.integer(MANAGEMENT_PORT, DEFAULT_MANAGEMENT_PORT, 1, 65535);
    String queueType = config.choice(QUEUE_TYPE, null, List.of("quorum", "classic"));
    String delayLadder = config.choice(DELAY_LADDER, null, List.of("quorum", "classic"));
    RabbitSettings s = new RabbitSettings(List.copyOf(addresses), config.user("guest"),
        config.password("guest"), vhost,
        config.integer(PARTITIONS, DEFAULT_PARTITIONS, 1, RabbitNames.SLOTS),
        management(config.string(MANAGEMENT, null), addresses, managementPort),
        queueType == null ? null : QueueType.valueOf(queueType.toUpperCase(java.util.Locale.ROOT)),
        delayLadder == null ? null : QueueType.valueOf(delayLadder.toUpperCase(java.util.Locale.ROOT)),
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
        + ", management=" + management + ", queueType=" + queueType + ", delayLadder=" + delayLadder + ", confirmWindow=" + confirmWindow
        + ", maxMessageSize=" + maxMessageSize
        + ", connectTimeout=" + connectTimeout + ", recoveryInterval=" + recoveryInterval + ", sendTimeout=" + sendTimeout
        + ", vendor=" + vendor + ", " + tls + "]";
  }

  /**
   * The management API's {@code host:port} entries: {@code management=h1:m1,h2:m2} when given (an entry
   * without a port takes {@code managementPort}), else every AMQP host at {@code managementPort}.
   */
  private static List<String> management(String explicit, List<Address> addresses, int managementPort) {
    List<String> out = new ArrayList<>();
    if (explicit == null) {
      for (Address a : addresses) {
        out.add(hostPort(a.getHost(), managementPort));
      }
      return List.copyOf(out);
    }
    for (String entry : explicit.split(",", -1)) {
      Matcher m = HOST_PORT.matcher(entry.trim());
      int port = m.matches() && m.group(2) != null ? Integer.parseInt(m.group(2)) : managementPort;
      if (!m.matches() || port < 1 || port > 65535) {
        throw new MqConfigurationException("parameter '" + MANAGEMENT + "' must be a comma-separated list of host:port"
            + " entries (the management API of each node, e.g. management=h1:15672,h2:15672), had '" + entry + "'");
      }
      String host = m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
      out.add(hostPort(host, port));
    }
    return List.copyOf(out);
  }

  private static String hostPort(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** The first AMQP host. */
  public String host() {
    return addresses.get(0).getHost();
  }

  /** The first AMQP port. */
  public int port() {
    return addresses.get(0).getPort();
  }

  /** {@code host:port,host:port/vhost}, for messages. */
  public String address() {
    StringBuilder b = new StringBuilder();
    for (Address a : addresses) {
      b.append(b.length() == 0 ? "" : ",").append(hostPort(a.getHost(), a.getPort()));
    }
    return b + (vhost.equals("/") ? "/%2F" : "/" + vhost);
  }

  /**
   * A factory with automatic connection recovery (connections go to {@link #addresses}: the client
   * tries them in a shuffled order and, on recovery, reconnects to any that answers) and topology recovery of consumers. Exchanges,
   * queues and bindings are durable, so the broker keeps them; they are not re-declared on recovery
   * (re-declaring could resurrect a queue that another client deleted meanwhile).
   */
  ConnectionFactory connectionFactory() {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(host());
    f.setPort(port());
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
