package io.unimq.kafka.internal;

import io.unimq.api.Message;
import io.unimq.api.SendReceipt;
import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.DeadLetterStore;
import io.unimq.spi.HalfMessageStore;
import io.unimq.spi.SendTiming;
import io.unimq.spi.TopologyListing;
import io.unimq.spi.Transport;
import io.unimq.spi.TransportConsumer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import io.unimq.api.MqConnectionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.header.Header;

/**
 * The {@code kafka://} transport: one idempotent {@code acks=all} producer and one admin client per
 * client, one {@link KafkaConsumer} per subscription. A send completes on the broker's ack.
 * A message with a future {@code deliverAt} goes to {@code <topic>.delay} (see {@link DelayLevels}).
 * Thread-safe.
 *
 * <p>Internal and unstable: public only for {@link io.unimq.kafka.KafkaProvider}; not part of unimq's API and may change
 * in any release.
 */
public final class KafkaTransport implements Transport {
  private static final AtomicInteger CLIENTS = new AtomicInteger();

  private final KafkaSettings settings;
  private final String clientId;
  private final Admin admin;
  private final KafkaListing listing;
  private final KafkaProducer<byte[], byte[]> producer;
  /** The producer's {@code delivery.timeout.ms}: every send is reported within it. */
  private final SendTiming sendTiming;
  private final KafkaTopology topology;
  private final KafkaHalfStore halfStore;
  private final KafkaDeadLetters deadLetters;
  /** Per topic, for unkeyed messages. */
  private final Map<String, StickyPartitions> sticky = new ConcurrentHashMap<>();

  /**
   * Connects, failing within the core {@code connectTimeout} with {@link io.unimq.api.MqConnectionException}
   * when the cluster is unreachable.
   */
  public KafkaTransport(KafkaSettings settings) {
    this(settings, KafkaDeadLetters.READ_LIMIT);
  }

  /** With dead-letter reads that gather records for at most {@code deadLetterReadLimit} (tests shorten it). */
  KafkaTransport(KafkaSettings settings, Duration deadLetterReadLimit) {
    this.settings = settings;
    this.deadLetters = new KafkaDeadLetters(this, deadLetterReadLimit);
    this.clientId = "unimq-" + ProcessHandle.current().pid() + "-" + CLIENTS.incrementAndGet();
    int[] brokers = new int[1];
    this.admin = connectAdmin(settings, clientId, brokers);
    try {
      var props = settings.producer(clientId + "-producer");
      this.producer = new KafkaProducer<>(props);
      this.sendTiming = new SendTiming(true, Duration.ofMillis(Long.parseLong(props.getProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG).trim())));
    } catch (RuntimeException e) {
      admin.close(Duration.ZERO);
      throw e instanceof KafkaException k ? KafkaErrors.clientFailed(settings.bootstrap(), k)
          : KafkaErrors.translate(e, "cannot create a Kafka producer for " + settings.bootstrap());
    }
    try {
      this.topology = new KafkaTopology(admin, settings, brokers[0]);
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      admin.close(Duration.ZERO);
      throw e;
    }
    this.listing = new KafkaListing(admin, topology, this);
    this.halfStore = new KafkaHalfStore(this);
  }

  /**
   * An admin client that has seen the cluster within {@code connectTimeout}; the number of live
   * brokers it saw into {@code brokers[0]}.
   */
  private static Admin connectAdmin(KafkaSettings settings, String clientId, int[] brokers) {
    Admin admin;
    try {
      admin = Admin.create(settings.admin(clientId + "-admin"));
    } catch (KafkaException e) {
      throw KafkaErrors.clientFailed(settings.bootstrap(), e);
    }
    try {
      brokers[0] = admin.describeCluster().nodes().get(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS).size();
      return admin;
    } catch (Exception e) {
      admin.close(Duration.ZERO);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      if (e.getCause() instanceof AuthenticationException a) { // reported at once, never retried
        throw KafkaErrors.loginFailed(settings.bootstrap(), settings.security(), a);
      }
      if (settings.security().tls() && e instanceof java.util.concurrent.TimeoutException) {
        // the Kafka client only logs a handshake cut short (a plaintext port) and tries again: ask once why
        String why = KafkaErrors.probeTls(settings.bootstrap(), settings.security().tlsSettings());
        if (why != null) {
          throw new MqConnectionException("cannot connect to Kafka at " + settings.bootstrap() + " with TLS within "
              + settings.connectTimeout().toMillis() + " ms: " + why, e);
        }
      }
      throw KafkaErrors.unreachable(settings.bootstrap(), settings.connectTimeout(), e);
    }
  }

  KafkaSettings settings() {
    return settings;
  }

  KafkaProducer<byte[], byte[]> producer() {
    return producer;
  }

  KafkaTopology topology() {
    return topology;
  }

  String clientId() {
    return clientId;
  }

  @Override
  public int maxMessageSize() {
    return settings.maxMessageSize();
  }

  /**
   * Kafka reports every send within {@code delivery.timeout.ms}, failing it with a
   * {@code TimeoutException} then, and the idempotent producer retries a send until then, the
   * engine's retry budget; the broker drops the duplicates. A send that fails in {@code send()}
   * itself (no metadata within {@code max.block.ms}, as while the cluster is down) is reported
   * before {@code publish} returns, and the engine retries it.
   */
  @Override
  public SendTiming sendTiming() {
    return sendTiming;
  }

  @Override
  public CompletableFuture<SendReceipt> publish(Message message) {
    return Transport.viaCallback(this, message);
  }

  /** The engine's send path: the producer's own callback reports, no future in between. */
  @Override
  public void publish(Message message, PublishCallback callback) {
    String topic = message.topic();
    // the id as the receipt will need it, without formatting a generated one now
    boolean uuid = message.hasUuidId();
    String textId = uuid ? null : message.id();
    long msb = uuid ? message.idMostSignificantBits() : 0;
    long lsb = uuid ? message.idLeastSignificantBits() : 0;
    try {
      topology.declareTopic(topic);
      long now = message.deliverAt() == null ? 0 : System.currentTimeMillis();
      ProducerRecord<byte[], byte[]> record;
      if (message.deliverAt() != null && message.deliverAt().toEpochMilli() > now) {
        long due = message.deliverAt().toEpochMilli();
        record = KafkaCodec.toRecord(KafkaTopology.delay(topic), DelayLevels.levelFor(due - now), message, due);
      } else {
        record = toRecord(message);
      }
      String kafkaTopic = record.topic(); // not the record: the callback lives until the broker's ack
      producer.send(record, (md, e) -> {
        if (e == null) {
          callback.published(uuid ? SendReceipt.of(msb, lsb, topic, md.partition(), "@", md.offset())
              : SendReceipt.of(textId, topic, md.partition(), "@", md.offset()), null);
        } else {
          callback.published(null, KafkaErrors.translate(e, "send to " + kafkaTopic + " failed"));
        }
      });
    } catch (RuntimeException e) {
      callback.published(null, KafkaErrors.translate(e, "cannot publish " + message.id()));
    }
  }

  /** A record on the topic itself: a keyed message to its key's partition, an unkeyed one to the {@link StickyPartitions sticky} partition. */
  private ProducerRecord<byte[], byte[]> toRecord(Message message) {
    if (message.key() != null) {
      return KafkaCodec.toRecord(message.topic(), null, message, 0);
    }
    List<Header> headers = KafkaCodec.headers(message, 0);
    int n = topology.partitionCount(message.topic());
    int partition = 0;
    if (n > 1) {
      StickyPartitions s = sticky.get(message.topic()); // no capturing lambda per send once the topic has its state
      if (s == null) {
        s = sticky.computeIfAbsent(message.topic(), t -> new StickyPartitions(settings.batchSize(), settings.linger().toNanos()));
      }
      partition = s.place(n, KafkaCodec.estimatedSize(message.body(), headers));
    }
    return KafkaCodec.toRecord(message.topic(), partition, message, headers);
  }

  /** Sends; the future completes from the producer's callback with the broker's metadata. */
  CompletableFuture<RecordMetadata> sendAsync(ProducerRecord<byte[], byte[]> record) {
    CompletableFuture<RecordMetadata> f = new CompletableFuture<>();
    try {
      producer.send(record, (md, e) -> {
        if (e == null) {
          f.complete(md);
        } else {
          f.completeExceptionally(KafkaErrors.translate(e, "send to " + record.topic() + " failed"));
        }
      });
    } catch (RuntimeException e) {
      f.completeExceptionally(KafkaErrors.translate(e, "send to " + record.topic() + " failed"));
    }
    return f;
  }

  /**
   * Sends and waits for the broker's ack, at most the engine's {@code sendTimeout}: the adapter's own
   * sends (retries, dead letters, half messages) run on handler threads, which must not wait for
   * the producer's whole {@code delivery.timeout.ms} (2 minutes by default) while the cluster is down.
   */
  void send(ProducerRecord<byte[], byte[]> record, String what) {
    KafkaErrors.get(sendAsync(record), "send " + what, settings.sendTimeout());
  }

  @Override
  public void declareTopic(String topic) {
    topology.declareTopic(topic);
  }

  @Override
  public void declareGroup(String topic, String group, boolean ordered) {
    topology.declareTopic(topic);
    topology.declareGroup(topic, group);
  }

  @Override
  public TransportConsumer openConsumer(ConsumerSpec spec) {
    return new KafkaConsumer(this, spec);
  }

  @Override
  public TopologyListing listing() {
    return listing;
  }

  /** Not yet committed by the group on the topic, its delayed messages and its retry topic. */
  @Override
  public long lag(String topic, String group) {
    return topology.backlog(group, List.of(topic, KafkaTopology.delay(topic), KafkaTopology.retry(topic, group)));
  }

  @Override
  public DeadLetterStore deadLetterStore() {
    return deadLetters;
  }

  @Override
  public HalfMessageStore halfMessageStore() {
    return halfStore;
  }

  @Override
  public void close() {
    halfStore.close();
    producer.close(Duration.ofSeconds(10));
    admin.close(Duration.ofSeconds(5));
  }
}
