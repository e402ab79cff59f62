package io.unimq.rocketmq;

import io.unimq.api.Capability;
import io.unimq.rocketmq.internal.RocketMqTransport;
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
 * <p>Parameters: {@value #NAMESRV} (required), {@value #QUEUES} (queues per new topic, default 4),
 * {@value #FIFO_QUEUES} (queues per new FIFO topic, default 16; see the constant),
 * {@value #INVISIBLE_TIME} (how long a received message stays invisible to the group before it is
 * redelivered if not settled, default 60s), {@value #MAX_MESSAGE_SIZE} (default 4 MiB, the broker's
 * default), {@value #REQUEST_TIMEOUT} (default 5s). Vendor pass-through: {@code rocketmq.sslEnabled}.
 *
 * <p>Thread-safe; stateless.
 */
public final class RocketMqProvider implements MqProvider {
  /** {@code host:port} of the name server, used for topic and group administration. */
  public static final String NAMESRV = "namesrv";
  /** Queues per physical topic created by unimq, except the FIFO one. */
  public static final String QUEUES = "queues";
  /**
   * Queues of a new FIFO topic (keyed messages; default 16). RocketMQ blocks a FIFO queue while a
   * message popped from it is unacked, so a key whose message waits for an ordered retry also holds
   * back the other keys sharing its queue (the proxy picks it by hashing the key): about 1 in n.
   */
  public static final String FIFO_QUEUES = "fifoQueues";
  /** Invisible duration of a received message (at least 10s, the proxy's minimum). */
  public static final String INVISIBLE_TIME = "invisibleTime";
  /** Largest accepted message, in bytes. */
  public static final String MAX_MESSAGE_SIZE = "maxMessageSize";
  /** Timeout of one request to the proxy, name server or broker. */
  public static final String REQUEST_TIMEOUT = "requestTimeout";
  /** Long-poll duration of a receive (default 1s): the most a retried or unblocked message waits extra. */
  public static final String AWAIT_DURATION = "awaitDuration";
  /** The proxy's gRPC port when the URI has none. */
  public static final int DEFAULT_PORT = 8081;
  /** Default largest message: 4 MiB, the broker's default {@code maxMessageSize}. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;

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
    return Set.of(NAMESRV, QUEUES, FIFO_QUEUES, INVISIBLE_TIME, MAX_MESSAGE_SIZE, REQUEST_TIMEOUT, AWAIT_DURATION);
  }

  @Override
  public Transport connect(MqConfig config) {
    return RocketMqTransport.connect(config, DEFAULT_PORT, DEFAULT_MAX_MESSAGE_SIZE);
  }
}
