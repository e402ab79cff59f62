package io.unimq.rocketmq.internal;

import io.unimq.api.Message;
import io.unimq.api.MqConnectionException;
import io.unimq.api.MqException;
import io.unimq.api.MqInvalidMessageException;
import io.unimq.api.SendReceipt;
import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.DeadLetterStore;
import io.unimq.spi.MessageLimits;
import io.unimq.spi.TransactionSupport;
import io.unimq.spi.TopologyListing;
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
import java.util.function.Supplier;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.MessageBuilder;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RocketMQ 5 transport: publishes through one gRPC producer to the physical topic matching the
 * message (see {@link PhysicalTopic}), consumes with SimpleConsumers (pop), administers topology
 * with {@link RocketTopology}. Thread-safe.
 *
 * <p>Internal and unstable: public only for {@link io.unimq.rocketmq.RocketMqProvider}; not part of unimq's API and may change
 * in any release.
 */
public final class RocketTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(RocketTransport.class);

  private final ClientServiceProvider provider = ClientServiceProvider.loadService();
  private final ClientConfiguration clientConfig;
  private final RocketTopology admin;
  private final RocketListing listing;
  private final Producer producer;
  private final int maxMessageSize;
  private final Duration invisibleTime;
  private final Duration await;
  private final Map<String, LongAdder> inFlight = new ConcurrentHashMap<>();
  /**
   * Per FIFO topic and message group, the last send handed to the producer: the next send of the
   * group waits for it (see {@link #sendInGroupOrder}).
   */
  private final Map<String, CompletableFuture<SendReceipt>> groupTails = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "unimq-rocketmq-timer");
    t.setDaemon(true);
    return t;
  });
  private final RocketTransactions transactions;
  private final RocketDeadLetters deadLetters;

  /**
   * Connects: checks that a proxy accepts a connection within the core {@code connectTimeout},
   * starts the admin client (name servers and brokers), then the producer; requests time out after
   * {@code requestTimeout}. With several proxies, the gRPC channel of the native client connects to the
   * first that answers and moves to another when it fails.
   */
  public RocketTransport(RocketSettings settings) {
    String endpoints = endpoints(settings.proxies());
    checkReachable(settings.proxies(), settings.connectTimeout());
    RocketSecurity.checkTls(settings);
    RocketSecurity.warnUnverified(settings);
    this.admin = RocketSecurity.atConnect(settings, () -> RocketTopology.start(settings.namesrv(), settings.queues(),
        settings.fifoQueues(), settings.requestTimeout(), settings.credentials(), settings.ssl(), settings.proxyRemoting()));
    this.listing = new RocketListing(admin, this);
    try {
      var builder = ClientConfiguration.newBuilder().setEndpoints(endpoints).enableSsl(settings.ssl())
          .setRequestTimeout(settings.requestTimeout());
      if (settings.credentials() != null) {
        builder.setCredentialProvider(settings.credentials().provider());
      }
      this.clientConfig = builder.build();
      this.maxMessageSize = settings.maxMessageSize();
      this.invisibleTime = settings.invisibleTime();
      this.await = settings.awaitDuration();
      try {
        this.producer = RocketSecurity.atConnect(settings, () -> provider.newProducerBuilder().setClientConfiguration(clientConfig).build());
      } catch (MqException e) {
        throw e;
      } catch (Exception e) {
        throw RocketErrors.translate(e, "cannot start a RocketMQ producer on " + clientConfig.getEndpoints());
      }
      this.transactions = new RocketTransactions(provider, clientConfig, admin);
      this.deadLetters = new RocketDeadLetters(admin, this);
    } catch (RuntimeException e) {
      admin.close();
      throw e;
    }
  }

  /**
   * The native client's endpoints: one proxy as given (a name is resolved again on each connection);
   * several as IPv4 addresses separated by {@code ;}, the only multi-address form rocketmq-client-java
   * reads (it takes a list whose first host is not an IPv4 literal for IPv6), so names are resolved here.
   */
  static String endpoints(List<String> proxies) {
    if (proxies.size() == 1) {
      return proxies.get(0);
    }
    List<String> out = new ArrayList<>();
    for (String hostPort : proxies) {
      int colon = hostPort.lastIndexOf(':');
      String host = hostPort.substring(0, colon);
      String port = hostPort.substring(colon + 1);
      java.net.InetAddress[] all;
      try {
        all = java.net.InetAddress.getAllByName(host);
      } catch (java.net.UnknownHostException e) {
        throw new MqConnectionException("cannot resolve the RocketMQ proxy host '" + host + "'", e);
      }
      boolean found = false;
      for (java.net.InetAddress a : all) {
        if (a instanceof java.net.Inet4Address) {
          out.add(a.getHostAddress() + ":" + port);
          found = true;
        }
      }
      if (!found) {
        throw new io.unimq.api.MqConfigurationException("the RocketMQ proxy '" + hostPort + "' has no IPv4 address: with several"
            + " proxies the RocketMQ client needs IPv4 addresses; list IPv4 proxies, or give one host name (a load balancer)");
      }
    }
    return String.join(";", out);
  }

  private static void checkReachable(List<String> proxies, Duration timeout) {
    IOException last = null;
    for (String hostPort : proxies) {
      int colon = hostPort.lastIndexOf(':');
      String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
      int port = Integer.parseInt(hostPort.substring(colon + 1));
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, port), (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE));
        return;
      } catch (IOException e) {
        last = e;
      }
    }
    throw RocketErrors.translate(last, (proxies.size() == 1 ? "cannot reach the RocketMQ proxy at " + proxies.get(0)
        : "cannot reach any of the RocketMQ proxies " + proxies) + " within " + timeout.toMillis() + " ms");
  }

  @Override
  public int maxMessageSize() {
    return maxMessageSize;
  }

  /**
   * The proxy's defaults: a message group (the key of a keyed message) of at most 64 bytes, at most
   * 128 user properties of 16 KiB together, no control characters in keys and properties. The
   * adapter's and the engine's own properties (id, key, attempt, trace context, dead-letter details)
   * need some of them: user headers get 112 and 12 KiB.
   */
  static final MessageLimits LIMITS = new MessageLimits(Integer.MAX_VALUE, 64, Integer.MAX_VALUE, Integer.MAX_VALUE, 112,
      12 * 1024, 0, false, "the RocketMQ proxy (maxMessageGroupSize 64, userPropertyMaxNum 128, maxUserPropertySize 16 KiB)");

  @Override
  public MessageLimits messageLimits() {
    return LIMITS;
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
      MessageBuilder b = RocketCodec.encode(provider, m, kind.of(m.topic()), tag);
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
      Supplier<CompletableFuture<SendReceipt>> send = () -> producer.sendAsync(b.build())
          .handle((r, e) -> {
            if (e != null) {
              throw RocketErrors.translate(e, "send of message " + m.id() + " to " + physical + " failed");
            }
            return SendReceipt.of(m, m.topic(), r.getMessageId().toString());
          });
      return kind == PhysicalTopic.FIFO ? sendInGroupOrder(physical, m, send) : send.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(RocketErrors.translate(e, "send of message " + m.id() + " failed"));
    }
  }

  /**
   * Sends a message of a message group once the group's previous send is answered: RocketMQ stores a
   * group's messages in the order they arrive, and sends on their way together can arrive in any
   * order. When the previous send failed, this one is not sent (it fails too, see {@link #notMade}),
   * so that it cannot be stored before the failed one is sent again.
   */
  private CompletableFuture<SendReceipt> sendInGroupOrder(String physical, Message m,
      Supplier<CompletableFuture<SendReceipt>> send) {
    String group = physical + "\u0000" + m.key();
    CompletableFuture<SendReceipt> mine = new CompletableFuture<>();
    CompletableFuture<SendReceipt> previous = groupTails.put(group, mine);
    CompletableFuture<SendReceipt> sent = previous == null ? send.get() : previous.handle((r, e) -> e).thenCompose(e -> e == null
        ? send.get()
        : CompletableFuture.failedFuture(notMade(m, physical, RocketErrors.unwrap(e))));
    sent.whenComplete((r, e) -> {
      groupTails.remove(group, mine);
      if (e != null) {
        mine.completeExceptionally(e);
      } else {
        mine.complete(r);
      }
    });
    return mine;
  }

  /**
   * Why a send of a message group was not made: its predecessor failed. Reported as transient (the
   * engine sends it again, behind the failed one, until the send's budget ends) whatever the
   * predecessor's failure was: this send itself was never refused.
   */
  private static MqException notMade(Message m, String physical, Throwable previous) {
    return new MqConnectionException("send of message " + m.id() + " to " + physical + " not made: an earlier"
        + " send of its message group (key '" + m.key() + "') failed (" + previous.getMessage() + "), and RocketMQ keeps a"
        + " group's order only for sends made one after another", null);
  }

  /** Publishes the engine's envelope to the group's dead-letter topic, blocking until confirmed. */
  void publishDeadLetter(String group, Message dead) {
    MessageBuilder b = RocketCodec.encode(provider, dead, PhysicalTopic.deadLetterTopic(group), PhysicalTopic.TAG);
    try {
      producer.send(b.build());
    } catch (Exception e) {
      throw RocketErrors.translate(e, "could not store message " + dead.id() + " in the dead letters of '" + group + "'");
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
    // every tag: native producers' messages (any tag or none) are delivered too; another group's
    // replays are skipped by the consumer (RocketConsumer#arrived)
    FilterExpression filter = FilterExpression.SUB_ALL;
    List<SimpleConsumer> consumers = new ArrayList<>();
    try {
      for (PhysicalTopic p : PhysicalTopic.values()) {
        consumers.add(provider.newSimpleConsumerBuilder().setClientConfiguration(clientConfig)
            .setConsumerGroup(spec.group()).setAwaitDuration(await)
            .setSubscriptionExpressions(Map.of(p.of(spec.topic()), filter)).build());
      }
    } catch (Exception e) {
      consumers.forEach(this::closeQuietly);
      throw RocketErrors.translate(e, "cannot open a consumer of group '" + spec.group() + "' on " + spec.topic());
    }
    return new RocketConsumer(spec, this, consumers, invisibleTime, inFlightOf(spec.topic(), spec.group()));
  }

  RocketInbound inbound(ConsumerSpec spec, MessageView v, SimpleConsumer consumer, LongAdder counter, RocketConsumer owner) {
    Message m = RocketCodec.decode(spec.topic(), v.getProperties(), v.getBody(), v.getMessageId().toString(),
        RocketCodec.nativeKey(v.getMessageGroup().orElse(null), v.getKeys()));
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
  public TopologyListing listing() {
    return listing;
  }

  @Override
  public DeadLetterStore deadLetterStore() {
    return deadLetters;
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
    deadLetters.close();
    try {
      producer.close();
    } catch (IOException e) {
      log.debug("closing the producer failed: {}", e.toString());
    }
    admin.close();
  }
}
