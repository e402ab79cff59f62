package io.unimq.kafka.internal;

import io.unimq.api.Message;
import io.unimq.spi.DeadLetterStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The dead letters of each group: the single-partition topic {@code <topic>.<group>.dlq}, whose
 * reading position is the committed offset of the group {@code unimq.dlq.<topic>.<group>}. Count is
 * end minus that position; read reads from it without committing (a dead letter's position is its
 * offset); remove commits past the last one; republish sends to the group's retry topic, due at
 * once; purge commits the end. Thread-safe.
 */
final class KafkaDeadLetters implements DeadLetterStore {
  private final KafkaTransport transport;

  KafkaDeadLetters(KafkaTransport transport) {
    this.transport = transport;
  }

  @Override
  public long count(String topic, String group) {
    declare(topic, group);
    return transport.topology().backlog(KafkaTopology.dlqReader(topic, group), List.of(KafkaTopology.dlq(topic, group)));
  }

  @Override
  public List<DeadLetter> read(String topic, String group, int max) {
    TopicPartition dlq = declare(topic, group);
    List<DeadLetter> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : read(dlq, start(dlq, topic, group), end(dlq), max)) {
      out.add(new DeadLetter(KafkaCodec.toMessage(topic, r), r.offset()));
    }
    return out;
  }

  @Override
  public void republish(String topic, String group, Message message) {
    declare(topic, group);
    transport.send(KafkaCodec.toRecord(KafkaTopology.retry(topic, group), 0, message, System.currentTimeMillis()), "replay of " + message.id());
  }

  @Override
  public void remove(String topic, String group, List<DeadLetter> letters) {
    if (letters.isEmpty()) {
      return;
    }
    TopicPartition dlq = declare(topic, group);
    long past = (Long) letters.get(letters.size() - 1).position() + 1;
    if (past > start(dlq, topic, group)) {
      commit(dlq, topic, group, past);
    }
  }

  @Override
  public long purge(String topic, String group) {
    TopicPartition dlq = declare(topic, group);
    long end = end(dlq);
    long n = Math.max(0, end - start(dlq, topic, group));
    commit(dlq, topic, group, end);
    return n;
  }

  private TopicPartition declare(String topic, String group) {
    transport.topology().declareTopic(topic);
    transport.topology().declareGroup(topic, group);
    return new TopicPartition(KafkaTopology.dlq(topic, group), 0);
  }

  private long start(TopicPartition dlq, String topic, String group) {
    Map<TopicPartition, Long> begin = transport.topology().offsets(List.of(dlq), OffsetSpec.earliest());
    Long committed = transport.topology().committed(KafkaTopology.dlqReader(topic, group)).get(dlq);
    return Math.max(begin.get(dlq), committed == null ? 0 : committed);
  }

  private long end(TopicPartition dlq) {
    return transport.topology().offsets(List.of(dlq), OffsetSpec.latest()).get(dlq);
  }

  private void commit(TopicPartition dlq, String topic, String group, long offset) {
    transport.topology().commit(KafkaTopology.dlqReader(topic, group), Map.of(dlq, new OffsetAndMetadata(offset)));
  }

  /** Records of the dlq in [from, to), at most {@code max}. */
  private List<ConsumerRecord<byte[], byte[]>> read(TopicPartition dlq, long from, long to, int max) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    if (from >= to || max <= 0) {
      return out;
    }
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(transport.settings().consumer(transport.clientId() + "-dlq", null))) {
      c.assign(List.of(dlq));
      c.seek(dlq, from);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (c.position(dlq) < to && out.size() < max && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (r.offset() < to && out.size() < max) {
            out.add(r);
          }
        }
      }
    }
    return out;
  }
}
