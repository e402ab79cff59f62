package io.unimq.api.internal;

import io.unimq.api.Admin;
import io.unimq.api.BatchHandler;
import io.unimq.api.Capability;
import io.unimq.api.DeadLetters;
import io.unimq.api.Health;
import io.unimq.api.GroupInfo;
import io.unimq.api.Message;
import io.unimq.api.MessageHandler;
import io.unimq.api.Names;
import io.unimq.api.MqClient;
import io.unimq.api.MqClosedException;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.MqConnectionException;
import io.unimq.api.MqException;
import io.unimq.api.MqUnsupportedException;
import io.unimq.api.Producer;
import io.unimq.api.Subscription;
import io.unimq.api.SubscriptionOptions;
import io.unimq.api.TransactionChecker;
import io.unimq.api.TransactionalProducer;
import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.MqConfig;
import io.unimq.spi.MqProvider;
import io.unimq.spi.TopologyListing;
import io.unimq.spi.Transport;
import io.unimq.spi.TransactionSupport;
import io.unimq.spi.TransportConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MqClient} every adapter gets: the engine over one {@link Transport}. Thread-safe.
 *
 * <p>Internal and unstable: public only for {@link io.unimq.api.Mq}; not part of unimq's API and may change
 * in any release.
 */
public final class EngineClient implements MqClient {
  /** Parameters every scheme understands. */
  public static final Set<String> CORE_PARAMETERS = Set.of("sendTimeout", "sendRetries", "txCheckInterval", "connectTimeout");
  private static final Logger log = LoggerFactory.getLogger(EngineClient.class);
  private static final AtomicInteger CLIENTS = new AtomicInteger();

  private final MqProvider provider;
  private final MqConfig config;
  private final Transport transport;
  private final EngineMetrics metrics;
  private final ScheduledExecutorService scheduler;
  /** {@code unimq-<scheme>-<n>}: the start of this client's thread names. */
  private final String threadPrefix;
  private final EngineProducer producer;
  private final Duration txCheckInterval;
  private final Set<EngineSubscription> subscriptions = ConcurrentHashMap.newKeySet();
  /** First-failure times of retried messages whose transport's retry drops the engine's headers. */
  private final FirstFailures firstFailures = new FirstFailures(100_000);
  private final Set<EngineTransactionalProducer> txProducers = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final EngineHealth health = new EngineHealth();
  private final Admin admin = new EngineAdmin();
  private final Tracing tracing;
  private volatile TransactionSupport transactions;

  private EngineClient(MqProvider provider, MqConfig config, Transport transport, Object meterRegistry, Object openTelemetry,
      boolean spans) {
    this.provider = provider;
    this.config = config;
    this.transport = transport;
    this.metrics = EngineMetrics.create(provider.scheme(), meterRegistry);
    this.tracing = Tracing.create(provider.scheme(), openTelemetry, spans);
    int id = CLIENTS.incrementAndGet();
    this.threadPrefix = "unimq-" + provider.scheme() + "-" + id;
    ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, threadPrefix + "-scheduler");
      t.setDaemon(true);
      return t;
    });
    s.setRemoveOnCancelPolicy(true);
    this.scheduler = s;
    this.producer = new EngineProducer(this, transport, scheduler,
        config.sendTimeout(), config.sendRetries());
    this.txCheckInterval = config.txCheckInterval();
  }

  /** Connects through {@code provider}; wraps failures into typed errors. */
  public static EngineClient open(MqProvider provider, MqConfig config, Object meterRegistry) {
    return open(provider, config, meterRegistry, null, true);
  }

  /**
   * Same, with tracing options: {@code openTelemetry} an {@code io.opentelemetry.api.OpenTelemetry}
   * or null for {@code GlobalOpenTelemetry}; {@code spans} false for no spans of unimq's own.
   */
  public static EngineClient open(MqProvider provider, MqConfig config, Object meterRegistry, Object openTelemetry,
      boolean spans) {
    // validate core parameters before touching the network
    config.sendTimeout();
    config.sendRetries();
    config.txCheckInterval();
    config.connectTimeout();
    Transport transport;
    try {
      transport = provider.connect(config);
    } catch (MqException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new MqConnectionException("cannot connect to " + config.redactedUri() + ": " + e.getMessage(), e);
    }
    try {
      checkCapabilities(provider, transport);
    } catch (MqException e) {
      try {
        transport.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    log.info("connected to {}", config.redactedUri());
    return new EngineClient(provider, config, transport, meterRegistry, openTelemetry, spans);
  }

  /** The capabilities that have an optional piece in the SPI must agree with the pieces offered. */
  static void checkCapabilities(MqProvider provider, Transport transport) {
    Set<Capability> declared = provider.capabilities();
    agree(provider, Capability.DEAD_LETTER, declared, transport.deadLetterStore() != null, "deadLetterStore()");
    agree(provider, Capability.TRANSACTIONS, declared, transport.transactions() != null || transport.halfMessageStore() != null,
        "transactions() or halfMessageStore()");
    agree(provider, Capability.LISTING, declared, transport.listing() != null, "listing()");
  }

  private static void agree(MqProvider provider, Capability c, Set<Capability> declared, boolean offered, String piece) {
    if (declared.contains(c) != offered) {
      throw new MqConfigurationException("the " + provider.scheme() + ":// adapter (" + provider.getClass().getName() + ") "
          + (offered ? "does not declare " + c + " but its transport offers " + piece
              : "declares " + c + " but its transport offers no " + piece)
          + "; fix the adapter so that MqProvider.capabilities() and its Transport agree");
    }
  }

  Tracing tracing() {
    return tracing;
  }

  /** Checks an {@code OpenTelemetry} given on the builder (the API is an optional dependency). */
  public static void checkOpenTelemetry(Object openTelemetry) {
    Tracing.check(openTelemetry);
  }

  EngineMetrics metrics() {
    return metrics;
  }

  @Override
  public String scheme() {
    return provider.scheme();
  }

  @Override
  public Set<Capability> capabilities() {
    return provider.capabilities();
  }

  @Override
  public int maxMessageSize() {
    return transport.maxMessageSize();
  }

  @Override
  public Producer producer() {
    ensureOpen();
    return producer;
  }

  @Override
  public TransactionalProducer transactionalProducer(String producerGroup, TransactionChecker checker) {
    ensureOpen();
    require(Capability.TRANSACTIONS);
    Names.check("producer group", producerGroup);
    if (checker == null) {
      throw new MqConfigurationException("transaction checker is null; pass one that tells the broker the outcome of an unresolved transaction");
    }
    EngineTransactionalProducer p = new EngineTransactionalProducer(this, producerGroup, transactionSupport(), checker);
    txProducers.add(p);
    return p;
  }

  private TransactionSupport transactionSupport() {
    TransactionSupport t = transactions;
    if (t == null) {
      synchronized (this) {
        t = transactions;
        if (t == null) {
          t = transport.transactions();
          if (t == null) {
            if (transport.halfMessageStore() == null) {
              throw new MqUnsupportedException(Capability.TRANSACTIONS, scheme());
            }
            t = new EmulatedTransactions(transport.halfMessageStore(), producer, threadPrefix + "-checkback", txCheckInterval);
          }
          transactions = t;
        }
      }
    }
    return t;
  }

  EngineProducer engineProducer() {
    return producer;
  }

  @Override
  public Subscription subscribe(String topic, String group, SubscriptionOptions options, MessageHandler handler) {
    checkSubscribe(topic, group, options, handler, "message handler is null; pass the handler that processes this subscription's messages");
    return open(topic, group, options, handler, null);
  }

  @Override
  public Subscription subscribeBatch(String topic, String group, SubscriptionOptions options, BatchHandler handler) {
    checkSubscribe(topic, group, options, handler, "batch handler is null; pass the handler that processes this subscription's batches");
    if (options.prefetch() < options.batchSize()) {
      options = options.toBuilder().prefetch(options.batchSize()).build();
    }
    return open(topic, group, options, null, handler);
  }

  private void checkSubscribe(String topic, String group, SubscriptionOptions options, Object handler, String nullHandler) {
    ensureOpen();
    checkTopicAndGroup(topic, group);
    if (options == null) {
      throw new MqConfigurationException("subscription options are null; pass SubscriptionOptions.DEFAULT or build some with SubscriptionOptions.builder()");
    }
    if (handler == null) {
      throw new MqConfigurationException(nullHandler);
    }
  }

  /** Opens a subscription with one of the two handlers. */
  private Subscription open(String topic, String group, SubscriptionOptions options, MessageHandler handler, BatchHandler batchHandler) {
    if (options.ordered()) {
      require(Capability.ORDERING);
    }
    if (options.ackMode() == io.unimq.api.AckMode.MANUAL) {
      require(Capability.MANUAL_ACK);
    }
    transport.declareTopic(topic);
    transport.declareGroup(topic, group, options.ordered());
    TransportConsumer consumer = transport.openConsumer(
        new ConsumerSpec(topic, group, options.ordered(), options.prefetch(), consumerId(group), options.concurrency()));
    if (transport.deadLetterStore() == null) {
      consumer = new ReleasingConsumer(consumer);
    }
    EngineSubscription s = new EngineSubscription(this, topic, group, options, handler, batchHandler, consumer, scheduler, metrics,
        firstFailures);
    subscriptions.add(s);
    s.start();
    return s;
  }

  private static String consumerId(String group) {
    return group + "-" + String.format("%012x", ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFFFFFL);
  }

  void forget(EngineSubscription s) {
    subscriptions.remove(s);
  }

  void forget(EngineTransactionalProducer p) {
    txProducers.remove(p);
  }

  @Override
  public Admin admin() {
    ensureOpen();
    return admin;
  }

  @Override
  public DeadLetters deadLetters(String topic, String group) {
    ensureOpen();
    require(Capability.DEAD_LETTER);
    checkTopicAndGroup(topic, group);
    return new EngineDeadLetters(this::ensureOpen, transport.deadLetterStore(), topic, group, m -> engineProducer().send(m));
  }

  private static void checkTopicAndGroup(String topic, String group) {
    Names.check("topic", topic);
    Names.check("group", group);
  }

  private void require(Capability c) {
    if (!capabilities().contains(c)) {
      throw new MqUnsupportedException(c, scheme());
    }
  }

  void ensureOpen() {
    if (closed.get()) {
      throw new MqClosedException(scheme() + ":// client is closed; create a new one with Mq.connect");
    }
  }

  /** Where subscriptions and the producer report broker operations. */
  EngineHealth brokerHealth() {
    return health;
  }

  @Override
  public Health health() {
    List<Health.SubscriptionHealth> subs = new ArrayList<>();
    for (EngineSubscription s : subscriptions) {
      Subscription.State state = s.state();
      if (state != Subscription.State.CLOSED) {
        subs.add(new Health.SubscriptionHealth(s.topic(), s.group(), state, s.inFlight()));
      }
    }
    return new Health(scheme(), !closed.get() && !health.failing(), health.lastError(), subs);
  }

  @Override
  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public void close(Duration timeout) {
    timeout = closeTimeout(timeout);
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (EngineSubscription s : List.copyOf(subscriptions)) {
      s.close(timeout);
    }
    for (EngineTransactionalProducer p : List.copyOf(txProducers)) {
      p.close();
    }
    producer.close(timeout);
    if (transactions instanceof EmulatedTransactions) {
      ((EmulatedTransactions) transactions).close();
    }
    scheduler.shutdownNow();
    try {
      transport.close();
    } catch (RuntimeException e) {
      log.warn("closing {} failed: {}", config.redactedUri(), e.toString());
    }
  }

  /** The longest wait a close honours: longer ones (up to {@code ChronoUnit.FOREVER}) are taken as this. */
  private static final Duration LONGEST_CLOSE = Duration.ofDays(365);

  /**
   * A close timeout checked before anything closes: null is an {@link MqConfigurationException},
   * a negative one means no wait, and one beyond {@link #LONGEST_CLOSE} (whose nanoseconds may not fit
   * a {@code long}) is capped.
   */
  static Duration closeTimeout(Duration timeout) {
    if (timeout == null) {
      throw new MqConfigurationException("close timeout is null; pass how long in-flight work may take to finish,"
          + " for example Duration.ofSeconds(30), or call close() for the default");
    }
    return timeout.isNegative() ? Duration.ZERO : timeout.compareTo(LONGEST_CLOSE) > 0 ? LONGEST_CLOSE : timeout;
  }

  private final class EngineAdmin implements Admin {
    @Override
    public void declareTopic(String topic) {
      ensureOpen();
      transport.declareTopic(Names.check("topic", topic));
    }

    @Override
    public void declareGroup(String topic, String group, boolean ordered) {
      ensureOpen();
      checkTopicAndGroup(topic, group);
      transport.declareTopic(topic);
      transport.declareGroup(topic, group, ordered);
    }

    @Override
    public long lag(String topic, String group) {
      ensureOpen();
      checkTopicAndGroup(topic, group);
      return transport.lag(topic, group);
    }

    private TopologyListing listing() {
      ensureOpen();
      TopologyListing listing = transport.listing();
      if (listing == null) {
        throw new MqUnsupportedException(Capability.LISTING, provider.scheme());
      }
      return listing;
    }

    @Override
    public List<String> topics() {
      List<String> topics = new ArrayList<>(listing().topics());
      topics.sort(null);
      return List.copyOf(topics);
    }

    @Override
    public List<GroupInfo> groups(String topic) {
      TopologyListing listing = listing();
      List<GroupInfo> groups = new ArrayList<>(listing.groups(Names.check("topic", topic)));
      groups.sort(Comparator.comparing(GroupInfo::name));
      return List.copyOf(groups);
    }

    @Override
    public void deleteGroup(String topic, String group) {
      TopologyListing listing = listing();
      checkTopicAndGroup(topic, group);
      for (EngineSubscription s : subscriptions) {
        if (s.topic().equals(topic) && s.group().equals(group)) {
          throw new MqConfigurationException("group '" + group + "' of topic '" + topic + "' has an open subscription in this"
              + " client; close the subscription before deleting the group");
        }
      }
      listing.deleteGroup(topic, group);
    }
  }
}
