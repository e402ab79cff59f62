package io.unimq.bench.drivers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * kafka-clients used well, with unimq's durability: an idempotent {@code acks=all} producer with
 * {@code linger.ms=5}, {@code batch.size=128 KiB} and the sticky partitioner; a consumer-group member
 * with the OS's socket receive buffer that commits asynchronously after each poll. Thread-safe.
 */
public final class KafkaNative implements Driver {
  private final String bootstrap;
  private final Admin admin;
  private final KafkaProducer<byte[], byte[]> producer;
  private final boolean idHeader;

  /** {@code idHeader}: each record carries a 16-byte id under the empty header key, as unimq's records do. */
  public KafkaNative(String bootstrap, boolean idHeader) {
    this.bootstrap = bootstrap;
    this.idHeader = idHeader;
    Properties a = new Properties();
    a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    this.admin = Admin.create(a);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(128 * 1024));
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    this.producer = new KafkaProducer<>(p);
  }

  @Override
  public String implementation() {
    return "native";
  }

  @Override
  public String settings() {
    return "kafka-clients: acks=all, idempotent, linger.ms=5, batch.size=131072, sticky partitioner; consumer group, receive.buffer.bytes=-1, commitAsync per poll"
        + (idHeader ? "; each record carries a random 16-byte id header (as unimq's do)" : "");
  }

  @Override
  public void createTopic(String topic, int partitions) {
    try {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create Kafka topic " + topic + ": " + e, e);
    }
  }

  @Override
  public AutoCloseable subscribe(String topic, String group, int partitions, Sink sink) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, "-1"); // as unimq: the OS's autotuned buffer, not a fixed 64 KiB
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c);
    Thread t = new Thread(() -> {
      try {
        consumer.subscribe(List.of(topic));
        while (!Thread.currentThread().isInterrupted()) {
          var records = consumer.poll(Duration.ofMillis(100));
          for (ConsumerRecord<byte[], byte[]> r : records) {
            sink.received(r.value());
          }
          if (!records.isEmpty()) {
            consumer.commitAsync();
          }
        }
      } catch (WakeupException e) {
        // closing
      } finally {
        consumer.close(Duration.ofSeconds(2));
      }
    }, "bench-kafka-consumer-" + topic);
    t.setDaemon(true);
    t.start();
    return () -> {
      consumer.wakeup();
      t.join(5000);
    };
  }

  @Override
  public void send(String topic, byte[] body, SendCallback callback) {
    ProducerRecord<byte[], byte[]> r = idHeader ? new ProducerRecord<>(topic, null, null, null, body, List.of(idHeader()))
        : new ProducerRecord<>(topic, body);
    producer.send(r, (md, e) -> callback.done(e));
  }

  private static Header idHeader() {
    byte[] id = new byte[16];
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = r.nextLong();
    long lsb = r.nextLong();
    for (int i = 0; i < 8; i++) {
      id[i] = (byte) (msb >>> (56 - 8 * i));
      id[8 + i] = (byte) (lsb >>> (56 - 8 * i));
    }
    return new RecordHeader("", id);
  }

  @Override
  public void delete(String topic, String group) {
    List<String> names = new ArrayList<>(List.of(topic, topic + ".delay", topic + "." + group + ".retry", topic + "." + group + ".dlq"));
    try {
      var existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
      names.retainAll(existing);
      admin.deleteTopics(names).all().get(10, TimeUnit.SECONDS);
      admin.deleteConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // best effort
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
  }
}
