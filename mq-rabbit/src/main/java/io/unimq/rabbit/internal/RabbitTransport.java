package io.unimq.rabbit.internal;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Return;
import io.unimq.api.Message;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.MqConnectionException;
import io.unimq.api.MqException;
import io.unimq.api.MqInvalidMessageException;
import io.unimq.api.SendReceipt;
import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.DeadLetterStore;
import io.unimq.spi.HalfMessageStore;
import io.unimq.spi.MessageLimits;
import io.unimq.spi.TopologyListing;
import io.unimq.spi.Transport;
import io.unimq.spi.TransportConsumer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code rabbitmq://} transport: two connections (publishing, consuming) with automatic
 * recovery, the topology of {@link RabbitTopology}, confirms through {@link Publisher}, delays through
 * {@link DelayLadder}. Thread-safe.
 *
 * <p>Internal and unstable: public only for {@link io.unimq.rabbit.RabbitProvider}; not part of unimq's API and may change
 * in any release.
 */
public final class RabbitTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(RabbitTransport.class);
  private static final AtomicInteger IDS = new AtomicInteger();

  private final RabbitSettings settings;
  private final Connection pubConnection;
  private final Connection subConnection;
  private final ExecutorService completions;
  private final ScheduledExecutorService ackTimer;
  private final RabbitTopology topology;
  private final Publisher publisher;
  private final MessageLimits limits;
  private final ManagementApi management;
  private final RabbitListing listing;
  private final RabbitHalfStore halfStore;
  private final RabbitDeadLetters deadLetters;

  /**
   * Connects (a publishing and a consuming connection, each to one of the URI's hosts), chooses the
   * queue type ({@link #queueType}) and the delay ladder's ({@link #ladderType}) and declares the ladder; fails fast with {@link
   * MqConnectionException} within the core {@code connectTimeout}.
   */
  public RabbitTransport(RabbitSettings settings) {
    this.settings = settings;
    ConnectionFactory factory = settings.connectionFactory();
    int id = IDS.incrementAndGet();
    this.completions = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "unimq-rabbitmq-" + id + "-confirms");
      t.setDaemon(true);
      return t;
    });
    Connection pub = null;
    Connection sub = null;
    this.management = new ManagementApi(settings);
    try {
      try {
        pub = factory.newConnection(settings.addresses(), "unimq-" + id + "-publish");
        sub = factory.newConnection(new CallerRunsExecutor(), settings.addresses(), "unimq-" + id + "-consume");
      } catch (IOException | TimeoutException | RuntimeException e) {
        throw RabbitErrors.connectFailure(settings, e);
      }
      this.pubConnection = pub;
      this.subConnection = sub;
      String version = version(pub);
      this.topology = new RabbitTopology(pub, settings.partitions(), queueType(settings, version, management),
          ladderType(settings, version));
      this.publisher = new Publisher(pub, settings.confirmWindow(), settings.sendTimeout(), new CompletionLane(completions),
          settings.address(), this::returned);
      this.limits = RabbitCodec.limits(pub.getFrameMax());
      topology.declareLadder();
    } catch (IOException | RuntimeException e) {
      RabbitErrors.closeQuietly(pub);
      RabbitErrors.closeQuietly(sub);
      completions.shutdown();
      throw e instanceof MqException mq ? mq
          : RabbitErrors.unavailable("connect to RabbitMQ at " + settings.address() + " as '" + settings.user() + "'", e);
    }
    this.ackTimer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "unimq-rabbitmq-acks");
      t.setDaemon(true);
      return t;
    });
    this.listing = new RabbitListing(this);
    this.halfStore = new RabbitHalfStore(this, pub);
    this.deadLetters = new RabbitDeadLetters(this, pub);
  }

  /**
   * The type of the queues to declare: {@code queueType} when given; else quorum when the broker is a
   * cluster (the URI lists several hosts, or the management API's {@code /api/nodes} lists several
   * nodes) of RabbitMQ 3.10 or later, classic otherwise.
   */
  private static RabbitSettings.QueueType queueType(RabbitSettings settings, String version, ManagementApi management) {
    boolean quorumCapable = quorumCapable(settings, version, settings.queueType(), RabbitSettings.QUEUE_TYPE, "single-active-consumer,"
        + " message TTL and at-least-once dead-lettering");
    if (settings.queueType() != null) {
      return settings.queueType();
    }
    int nodes = settings.addresses().size();
    if (nodes < 2) {
      List<String> listed = management.nodes();
      nodes = listed == null ? 1 : listed.size();
    }
    if (nodes < 2) {
      return RabbitSettings.QueueType.CLASSIC;
    }
    if (!quorumCapable) {
      log.warn("RabbitMQ at {} is a cluster but version {} has no quorum queues with the features unimq needs (3.10 or later);"
          + " unimq declares classic queues, which live on one node", settings.address(), version);
      return RabbitSettings.QueueType.CLASSIC;
    }
    log.info("RabbitMQ at {} is a cluster ({} nodes): unimq declares quorum queues (set queueType=classic for classic ones)",
        settings.address(), nodes);
    return RabbitSettings.QueueType.QUORUM;
  }

  /** Whether the broker has the quorum queues unimq needs (3.10 or later); {@code parameter=quorum} on an older one is refused. */
  private static boolean quorumCapable(RabbitSettings settings, String version, RabbitSettings.QueueType asked, String parameter,
      String features) {
    boolean capable = atLeast(version, 3, 10);
    if (asked == RabbitSettings.QueueType.QUORUM && !capable) {
      throw new MqConfigurationException(parameter + "=quorum needs RabbitMQ 3.10 or later (quorum queues with " + features
          + "); RabbitMQ at " + settings.address() + " is " + version + ": use " + parameter + "=classic or upgrade the broker");
    }
    return capable;
  }

  /** The broker's version as it announces it ("3.10.8"), or "unknown". */
  private static String version(Connection connection) {
    Object v = connection.getServerProperties().get("version");
    return v == null ? "unknown" : v.toString();
  }

  /**
   * The type of the delay ladder's queues, whatever the type of the group queues: {@code delayLadder} when
   * given; else quorum on RabbitMQ 3.10 or later, whose at-least-once dead-lettering moves a retried or
   * delayed message from one level to the next only once the next queue confirmed it (classic queues
   * dead-letter at most once: a broker killed mid-hop loses the message), classic on older brokers (with a
   * warning).
   */
  private static RabbitSettings.QueueType ladderType(RabbitSettings settings, String version) {
    boolean quorumCapable = quorumCapable(settings, version, settings.delayLadder(), RabbitSettings.DELAY_LADDER,
        "message TTL and at-least-once dead-lettering");
    if (settings.delayLadder() != null) {
      return settings.delayLadder();
    }
    if (!quorumCapable) {
      log.warn("RabbitMQ at {} is {}, older than 3.10: unimq's delay ladder (retries, delayed sends) uses classic queues,"
          + " which dead-letter at most once, so a message moving through it can be lost if the broker crashes;"
          + " upgrade to 3.10 or later for at-least-once", settings.address(), version);
      return RabbitSettings.QueueType.CLASSIC;
    }
    return RabbitSettings.QueueType.QUORUM;
  }

  /** Whether {@code version} ("3.10.7", "3.13.0-rc.1") is at least {@code major.minor}; false when unreadable. */
  static boolean atLeast(String version, int major, int minor) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)").matcher(version);
    if (!m.find()) {
      return false;
    }
    int maj = Integer.parseInt(m.group(1));
    return maj > major || maj == major && Integer.parseInt(m.group(2)) >= minor;
  }

  /** The type of the queues this transport declares. */
  public RabbitSettings.QueueType queueType() {
    return topology.queueType();
  }

  private void returned(Return r) {
    log.debug("message {} to exchange {} returned: {} (the topic has no group yet; nobody keeps it)",
        r.getProperties().getMessageId(), r.getExchange(), r.getReplyText());
  }

  /** Messages published to a topic that had no group, since this transport opened. */
  public long unroutable() {
    return publisher.unroutable();
  }

  @Override
  public int maxMessageSize() {
    return settings.maxMessageSize();
  }

  @Override
  public MessageLimits messageLimits() {
    return limits;
  }

  @Override
  public CompletableFuture<SendReceipt> publish(Message m) {
    try {
      topology.declareTopic(m.topic());
      int slot = RabbitNames.slot(m);
      String exchange = RabbitNames.exchange(m.topic());
      long delay = m.deliverAt() == null ? 0 : delayMillis(m.deliverAt());
      CompletableFuture<Void> sent = delay > 0
          ? publisher.publish(topology.ladder().entry(), RabbitNames.routingKey(slot), false,
              RabbitCodec.properties(m, DelayLadder.headers(delay, exchange)), m.body())
          : publisher.publish(exchange, RabbitNames.routingKey(slot), true, RabbitCodec.topicProperties(m), m.body());
      return sent.thenApply(v -> SendReceipt.of(m, m.topic(), "slot", "-", slot));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Milliseconds until {@code at}, rounded up so that the ladder is never early; checked against the ladder's range. */
  private static long delayMillis(Instant at) {
    long nanos = Duration.between(Instant.now(), at).toNanos();
    long millis = nanos <= 0 ? 0 : (nanos + 999_999) / 1_000_000;
    if (millis > DelayLadder.MAX_DELAY_MILLIS) {
      throw new MqInvalidMessageException("delay of " + Duration.ofMillis(millis) + " exceeds RabbitMQ's delay ladder maximum of "
          + Duration.ofMillis(DelayLadder.MAX_DELAY_MILLIS) + " (2^" + DelayLadder.LEVELS + " - 1 ms)");
    }
    return millis;
  }

  /** Sends {@code m} to one queue, through the delay ladder when {@code delay} is positive; waits for the confirm. */
  void sendToQueue(String queue, Message m, Duration delay) {
    long millis = delay.isNegative() || delay.isZero() ? 0 : Math.min(DelayLadder.MAX_DELAY_MILLIS, (delay.toNanos() + 999_999) / 1_000_000);
    int slot = RabbitNames.slot(m);
    CompletableFuture<Void> sent = millis > 0
        ? publisher.publish(topology.ladder().entry(), RabbitNames.routingKey(slot), false,
            RabbitCodec.properties(m, DelayLadder.headers(millis, queue)), m.body())
        : publisher.publish("", queue, false, RabbitCodec.properties(m, null), m.body());
    await(sent, "send message " + m.id() + " to " + queue);
  }

  /** Publishes a prepared message with extra headers to a queue and waits for the confirm. */
  void sendToQueue(String queue, Message m, Map<String, Object> extraHeaders) {
    await(publisher.publish("", queue, false, RabbitCodec.properties(m, extraHeaders), m.body()), "send message " + m.id() + " to " + queue);
  }

  private void await(CompletableFuture<Void> f, String what) {
    try {
      f.get(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw RabbitErrors.translate(e.getCause(), what);
    } catch (TimeoutException e) {
      throw new MqConnectionException("no confirm from " + settings.address() + " within " + settings.sendTimeout() + " to " + what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MqException("interrupted while waiting to " + what, e);
    }
  }

  @Override
  public void declareTopic(String topic) {
    topology.declareTopic(topic);
  }

  @Override
  public void declareGroup(String topic, String group, boolean ordered) {
    topology.declareGroup(topic, group, ordered);
  }

  @Override
  public TransportConsumer openConsumer(ConsumerSpec spec) {
    RabbitTopology.Layout layout = topology.layout(spec.topic(), spec.group());
    if (!layout.plain() && layout.partitions() == 0) {
      layout = topology.declareGroup(spec.topic(), spec.group(), spec.ordered());
    }
    var queues = layout.queues(spec.topic(), spec.group());
    return RabbitErrors.call("consume " + queues, () -> new RabbitConsumer(this, subConnection, spec, queues));
  }

  /** Ready messages (exact, from AMQP) plus unacknowledged ones (from the management API) over the group's queues. */
  @Override
  public long lag(String topic, String group) {
    long lag = 0;
    for (String q : topology.layout(topic, group).queues(topic, group)) {
      long ready = topology.ready(q);
      if (ready > 0) {
        lag += ready;
      }
      OptionalLong unacked = management.unacked(q);
      lag += unacked.orElse(0);
    }
    return lag;
  }

  @Override
  public TopologyListing listing() {
    return listing;
  }

  @Override
  public DeadLetterStore deadLetterStore() {
    return deadLetters;
  }

  @Override
  public HalfMessageStore halfMessageStore() {
    return halfStore;
  }

  RabbitTopology topology() {
    return topology;
  }

  ManagementApi management() {
    return management;
  }

  @Override
  public void close() {
    publisher.close();
    topology.close();
    RabbitErrors.closeQuietly(subConnection);
    RabbitErrors.closeQuietly(pubConnection);
    completions.shutdown();
    ackTimer.shutdown();
  }

  ScheduledExecutorService ackTimer() {
    return ackTimer;
  }
}
