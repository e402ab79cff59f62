package io.unimq.rocketmq.internal;

import io.unimq.api.Message;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.MqConnectionException;
import io.unimq.api.MqInvalidMessageException;
import io.unimq.api.SendReceipt;
import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.DeadLetterStore;
import io.unimq.spi.MqConfig;
import io.unimq.spi.TransactionSupport;
import io.unimq.spi.Transport;
import io.unimq.spi.TransportConsumer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.FilterExpressionType;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.MessageBuilder;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RocketMQ 5 transport: publishes through one gRPC producer to the physical topic matching the
 * message (see {@link PhysicalTopic}), consumes with SimpleConsumers (pop), administers topology
 * with {@link RocketAdmin}. Thread-safe.
 *
 * <p>Internal and unstable: public only for {@link io.unimq.rocketmq.RocketMqProvider}; not part of unimq's API and may change
 * in any release.
 */
public final class RocketMqTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(RocketMqTransport.class);

  private final ClientServiceProvider provider = ClientServiceProvider.loadService();
  private final ClientConfiguration clientConfig;
  private final RocketAdmin admin;
  private final Producer producer;
  private final int maxMessageSize;
  private final Duration invisibleTime;
  private final Duration await;
  private final Map<String, LongAdder> inFlight = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "unimq-rocketmq-timer");
    t.setDaemon(true);
    return t;
  });
  private final RocketTransactions transactions;
  private final RocketDeadLetterReader deadLetterReader;

  private RocketMqTransport(ClientConfiguration clientConfig, RocketAdmin admin, int maxMessageSize, Duration invisibleTime,
      Duration await) {
    this.clientConfig = clientConfig;
    this.admin = admin;
    this.maxMessageSize = maxMessageSize;
    this.invisibleTime = invisibleTime;
    this.await = await;
    try {
      this.producer = provider.newProducerBuilder().setClientConfiguration(clientConfig).build();
    } catch (Exception e) {
      throw Errors.wrap("cannot start a RocketMQ producer on " + clientConfig.getEndpoints(), e);
    }
    this.transactions = new RocketTransactions(provider, clientConfig, admin);
    this.deadLetterReader = new RocketDeadLetterReader(admin, this);
  }

  /** Connects: checks the proxy port, starts the admin client (name server and broker), then the producer. */
  public static RocketMqTransport connect(MqConfig config, int defaultPort, int defaultMaxMessageSize) {
    String namesrv = config.string("namesrv", null);
    if (namesrv == null || namesrv.isBlank()) {
      throw new MqConfigurationException("rocketmq:// needs the name server for administration: add ?namesrv=host:port to "
          + config.redactedUri());
    }
    int queues = config.integer("queues", 4, 1, 64);
    // a FIFO queue is blocked while any message popped from it is unacked (an ordered retry holds
    // one for its backoff), and the proxy puts a key in queue consistentHash(key.hashCode(), n):
    // more queues mean fewer other keys held back by one key's retry (about 1 in n)
    int fifoQueues = config.integer("fifoQueues", 16, 1, 64);
    int maxSize = config.integer("maxMessageSize", defaultMaxMessageSize, 1, 4 * 1024 * 1024);
    Duration timeout = config.duration("requestTimeout", Duration.ofSeconds(5));
    Duration invisible = config.duration("invisibleTime", Duration.ofSeconds(60));
    // the proxy does not wake a long poll when an acked FIFO queue or a retried message becomes
    // available again, so the long poll bounds that latency: short, yet no busy loop
    Duration await = config.duration("awaitDuration", Duration.ofSeconds(1));
    if (await.isNegative() || await.isZero() || await.compareTo(Duration.ofSeconds(30)) > 0) {
      throw new MqConfigurationException("parameter 'awaitDuration' must be between 1ms and 30s, was " + await);
    }
    if (invisible.compareTo(Duration.ofSeconds(10)) < 0) {
      throw new MqConfigurationException("parameter 'invisibleTime' must be at least 10s (the proxy's minimum), was " + invisible);
    }
    boolean ssl = false;
    for (Map.Entry<String, String> v : config.vendorParameters().entrySet()) {
      if (!v.getKey().equals("sslEnabled")) {
        throw new MqConfigurationException("unknown vendor parameter 'rocketmq." + v.getKey() + "'; known: [rocketmq.sslEnabled]");
      }
      ssl = Boolean.parseBoolean(v.getValue());
    }
    String endpoint = config.host() + ":" + config.port(defaultPort);
    checkReachable(config.host(), config.port(defaultPort), timeout);
    RocketAdmin admin = RocketAdmin.start(namesrv, queues, fifoQueues, timeout);
    try {
      ClientConfiguration cc = ClientConfiguration.newBuilder().setEndpoints(endpoint).enableSsl(ssl)
          .setRequestTimeout(timeout).build();
      return new RocketMqTransport(cc, admin, maxSize, invisible, await);
    } catch (RuntimeException e) {
      admin.close();
      throw e;
    }
  }

  private static void checkReachable(String host, int port, Duration timeout) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), (int) Math.min(timeout.toMillis(), 3000));
    } catch (IOException e) {
      throw new MqConnectionException("cannot reach the RocketMQ proxy at " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  @Override
  public int maxMessageSize() {
    return maxMessageSize;
  }

  @Override
  public CompletableFuture<SendReceipt> publish(Message message) {
    return send(message, PhysicalTopic.TAG);
  }

  /** Publishes to the physical topic chosen by {@link PhysicalTopic#forMessage} with {@code tag}. */
  CompletableFuture<SendReceipt> send(Message m, String tag) {
    try {
      admin.declareTopic(m.topic());
      PhysicalTopic kind = PhysicalTopic.forMessage(m);
      if (kind == PhysicalTopic.FIFO && m.key().isBlank()) {
        kind = PhysicalTopic.NORMAL;
      }
      MessageBuilder b = MessageCodec.encode(provider, m, kind.of(m.topic()), tag);
      if (kind == PhysicalTopic.FIFO) {
        b.setMessageGroup(m.key());
      } else if (kind == PhysicalTopic.DELAY) {
        long delay = m.deliverAt().toEpochMilli() - System.currentTimeMillis();
        if (delay > admin.timerMaxDelayMillis()) {
          throw new MqInvalidMessageException("deliverAt " + m.deliverAt() + " is further away than the broker's timerMaxDelaySec ("
              + admin.timerMaxDelayMillis() / 1000 + " s)");
        }
        b.setDeliveryTimestamp(m.deliverAt().toEpochMilli());
      }
      String physical = kind.of(m.topic());
      return producer.sendAsync(b.build())
          .handle((r, e) -> {
            if (e != null) {
              throw Errors.wrap("send of message " + m.id() + " to " + physical + " failed", e);
            }
            return SendReceipt.of(m, m.topic(), r.getMessageId().toString());
          });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(Errors.wrap("send of message " + m.id() + " failed", e));
    }
  }

  /** Publishes the engine's envelope to the group's dead-letter topic, blocking until confirmed. */
  void publishDeadLetter(String group, Message dead) {
    MessageBuilder b = MessageCodec.encode(provider, dead, PhysicalTopic.deadLetterTopic(group), PhysicalTopic.TAG);
    try {
      producer.send(b.build());
    } catch (Exception e) {
      throw Errors.wrap("could not store message " + dead.id() + " in the dead letters of '" + group + "'", e);
    }
  }

  @Override
  public void declareTopic(String topic) {
    admin.declareTopic(topic);
  }

  @Override
  public void declareGroup(String topic, String group, boolean ordered) {
    admin.declareGroup(topic, group, ordered);
  }

  @Override
  public TransportConsumer openConsumer(ConsumerSpec spec) {
    FilterExpression filter = new FilterExpression(PhysicalTopic.TAG + " || " + PhysicalTopic.replayTag(spec.group()),
        FilterExpressionType.TAG);
    List<SimpleConsumer> consumers = new ArrayList<>();
    try {
      for (PhysicalTopic p : PhysicalTopic.values()) {
        consumers.add(provider.newSimpleConsumerBuilder().setClientConfiguration(clientConfig)
            .setConsumerGroup(spec.group()).setAwaitDuration(await)
            .setSubscriptionExpressions(Map.of(p.of(spec.topic()), filter)).build());
      }
    } catch (Exception e) {
      consumers.forEach(this::closeQuietly);
      throw Errors.wrap("cannot open a consumer of group '" + spec.group() + "' on " + spec.topic(), e);
    }
    return new RocketConsumer(spec, this, consumers, invisibleTime, inFlightOf(spec.topic(), spec.group()));
  }

  RocketInbound inbound(ConsumerSpec spec, MessageView v, SimpleConsumer consumer, LongAdder counter, RocketConsumer owner) {
    Message m = MessageCodec.decode(spec.topic(), v.getProperties(), v.getBody(), v.getMessageId().toString());
    return new RocketInbound(m, v, consumer, this, spec.group(), counter, owner);
  }

  void schedule(Runnable r, Duration delay) {
    timer.schedule(r, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private LongAdder inFlightOf(String topic, String group) {
    return inFlight.computeIfAbsent(topic + '\u0000' + group, k -> new LongAdder());
  }

  /**
   * Not yet acked by the group: what the broker has not handed out (offsets, physical and retry
   * topics) plus what this client holds unsettled. Messages handed to other processes and not yet
   * acked, and delayed messages not yet due, are not counted.
   */
  @Override
  public long lag(String topic, String group) {
    return admin.backlog(topic, group) + inFlightOf(topic, group).sum();
  }

  @Override
  public DeadLetterStore deadLetterStore() {
    return deadLetterReader;
  }

  @Override
  public TransactionSupport transactions() {
    return transactions;
  }

  void closeQuietly(AutoCloseable c) {
    Thread t = new Thread(() -> {
      try {
        c.close();
      } catch (Exception e) {
        log.debug("closing a RocketMQ client failed: {}", e.toString());
      }
    }, "unimq-rocketmq-close");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    transactions.close();
    deadLetterReader.close();
    try {
      producer.close();
    } catch (IOException e) {
      log.debug("closing the producer failed: {}", e.toString());
    }
    admin.close();
  }
}
