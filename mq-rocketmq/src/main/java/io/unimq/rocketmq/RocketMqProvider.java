package io.unimq.rocketmq;

import io.unimq.api.Capability;
import io.unimq.rocketmq.internal.RocketSettings;
import io.unimq.rocketmq.internal.RocketTransport;
import io.unimq.spi.MqConfig;
import io.unimq.spi.MqProvider;
import io.unimq.spi.Transport;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code rocketmq://proxyHost:port?namesrv=host:port}: RocketMQ 5 through the gRPC proxy
 * ({@code rocketmq-client-java}), with topics and groups administered through the name server and
 * broker ({@code DefaultMQAdminExt}).
 *
 * <p>One unimq topic {@code T} is four RocketMQ topics, one per native message type, created
 * together: {@code T} (NORMAL), {@code T_FIFO} (keyed messages, message group = key),
 * {@code T_DELAY} (messages with a future {@code deliverAt}, timer-based delivery timestamp) and
 * {@code T_TX} (half messages). A unimq group is a RocketMQ consumer group (clustering) subscribed to
 * all four. Everything is native: delay (at most the broker's {@code timerMaxDelaySec}, 3 days by
 * default), transactions (half messages and check-back, every {@code transactionCheckInterval}),
 * FIFO message groups, retry by invisible duration with the native delivery attempt, dead letters
 * in {@code %DLQ%<group>}.
 *
 * <p>Parameters (besides the core {@code connectTimeout}, {@code sendTimeout}, {@code sendRetries}
 * and {@code txCheckInterval}): {@code namesrv} (required), {@code queues} (queues per new topic,
 * default 4), {@code fifoQueues} (queues per new FIFO topic, default 16), {@code invisibleTime} (how
 * long a received message stays invisible to the group before it is redelivered if not settled,
 * default 60s, at least 10s), {@code maxMessageSize} (default 4 MiB, the broker's default),
 * {@code requestTimeout} (one request to the proxy, name server or broker, default 5s),
 * {@code awaitDuration} (long poll of a receive, default 1s). {@code connectTimeout} bounds the
 * connection check of the proxy; the RocketMQ clients have no connect timeout of their own per
 * client. Security: {@code accessKey} and {@code secretKey} (or the URI's user info) for ACL 2.0, {@code tls=true}
 * for TLS (encrypted, but the RocketMQ client verifies no server certificate, so {@code trustStore}, {@code caFile},
 * {@code keyStore} and {@code verifyHostname} are refused). Vendor pass-through: {@code rocketmq.sslEnabled}. The
 * module's {@code README.md} documents each, and the mechanics.
 *
 * <p>Thread-safe; stateless.
 */
public final class RocketMqProvider implements MqProvider {
  @Override
  public String scheme() {
    return "rocketmq";
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.allOf(Capability.class);
  }

  @Override
  public Set<String> parameters() {
    return RocketSettings.PARAMETERS;
  }

  @Override
  public Transport connect(MqConfig config) {
    return new RocketTransport(RocketSettings.from(config));
  }
}
