package io.unimq.kafka.internal;

import io.unimq.api.Message;
import io.unimq.spi.DeadLetterStore;
import io.unimq.spi.Headers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A group's dead letters: the single-partition topic {@code <topic>.<group>.dlq}, whose reading
 * position is the committed offset of the group {@code unimq.dlq.<topic>.<group>}. Count is end
 * minus that position; peek reads without committing; replay sends each to the group's retry topic
 * (due at once) and then commits; purge commits the end. Thread-safe; concurrent replays of one
 * group may send a message twice.
 */
final class KafkaDeadLetters implements DeadLetterStore {
  private final KafkaTransport transport;
  private final String topic;
  private final String group;
  private final TopicPartition dlq;
  private final String reader;

  KafkaDeadLetters(KafkaTransport transport, String topic, String group) {
    this.transport = transport;
    this.topic = topic;
    this.group = group;
    this.dlq = new TopicPartition(Topology.dlq(topic, group), 0);
    this.reader = Topology.dlqReader(topic, group);
  }

  @Override
  public long count() {
    return transport.topology().backlog(reader, List.of(dlq.topic()));
  }

  @Override
  public List<Message> peek(int max) {
    List<Message> out = new ArrayList<>();
    read(start(), end(), max).forEach(r -> out.add(Records.toMessage(topic, r)));
    return out;
  }

  @Override
  public long replay() {
    long end = end();
    List<ConsumerRecord<byte[], byte[]>> dead = read(start(), end, Integer.MAX_VALUE);
    String retry = Topology.retry(topic, group);
    List<CompletableFuture<?>> sends = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (ConsumerRecord<byte[], byte[]> r : dead) {
      Message again = Headers.stripForReplay(Records.toMessage(topic, r));
      sends.add(transport.sendAsync(Records.toRecord(retry, 0, again, now)));
    }
    KafkaErrors.get(CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])), "replay dead letters of " + topic + "/" + group);
    commit(end);
    return dead.size();
  }

  @Override
  public long purge() {
    long end = end();
    long n = Math.max(0, end - start());
    commit(end);
    return n;
  }

  private long start() {
    Map<TopicPartition, Long> begin = transport.topology().offsets(List.of(dlq), OffsetSpec.earliest());
    Long committed = transport.topology().committed(reader).get(dlq);
    return Math.max(begin.get(dlq), committed == null ? 0 : committed);
  }

  private long end() {
    return transport.topology().offsets(List.of(dlq), OffsetSpec.latest()).get(dlq);
  }

  private void commit(long end) {
    transport.topology().commit(reader, Map.of(dlq, new OffsetAndMetadata(end)));
  }

  /** Records of the dlq in [from, to), at most {@code max}. */
  private List<ConsumerRecord<byte[], byte[]>> read(long from, long to, int max) {
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
