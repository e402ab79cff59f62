package io.unimq.kafka.internal;

import io.unimq.api.Message;
import io.unimq.api.MqConnectionException;
import io.unimq.spi.DeadLetterStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The dead letters of each group: the single-partition topic {@code <topic>.<group>.dlq}, whose
 * reading position is the committed offset of the group {@code unimq.dlq.<topic>.<group>}. Count is
 * end minus that position; read reads from it without committing (a dead letter's position and
 * cursor is its offset; reading after a cursor reads from past it, or from the position if that is
 * further); remove commits past the last one; republish sends to the group's retry topic, due at
 * once; purge commits the end.
 *
 * <p>A log cannot lose an entry from the middle, so removing chosen dead letters (a selective
 * replay or purge) re-appends, in order, every dead letter between the reading position and the
 * last chosen one that was not chosen, then commits past the last chosen one. The kept ones move
 * behind the dead letters that died after them (their headers, ids and bodies unchanged); a failure
 * between the re-append and the commit leaves them twice, never lost.
 *
 * <p>A read gathers records for at most {@code readLimit} once it has one, and waits at most the
 * larger of {@code readLimit} and 30 seconds for the first: it returns a prefix of what it was asked
 * for (the engine reads on from there), or throws {@link MqConnectionException} when the dead
 * letters it should read do not arrive. Thread-safe.
 */
final class KafkaDeadLetters implements DeadLetterStore {
  static final Duration READ_LIMIT = Duration.ofSeconds(30);
  private static final int CHUNK = 500;

  private final KafkaTransport transport;
  private final Duration readLimit;

  KafkaDeadLetters(KafkaTransport transport, Duration readLimit) {
    this.transport = transport;
    this.readLimit = readLimit;
  }

  @Override
  public long count(String topic, String group) {
    declare(topic, group);
    return transport.topology().backlog(KafkaTopology.dlqReader(topic, group), List.of(KafkaTopology.dlq(topic, group)));
  }

  @Override
  public List<DeadLetter> read(String topic, String group, int max) {
    TopicPartition dlq = declare(topic, group);
    return letters(topic, read(dlq, start(dlq, topic, group), end(dlq), max));
  }

  @Override
  public List<DeadLetter> readAfter(String topic, String group, String cursor, int max) {
    long after = DeadLetterStore.numericCursor(cursor, topic, group);
    TopicPartition dlq = declare(topic, group);
    return letters(topic, read(dlq, Math.max(after + 1, start(dlq, topic, group)), end(dlq), max));
  }

  private static List<DeadLetter> letters(String topic, List<ConsumerRecord<byte[], byte[]>> records) {
    List<DeadLetter> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
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

  /** Re-appends the kept dead letters before the last chosen one, then commits past it (see the class doc). */
  @Override
  public synchronized void removeChosen(String topic, String group, List<DeadLetter> letters) {
    if (letters.isEmpty()) {
      return;
    }
    TopicPartition dlq = declare(topic, group);
    Set<Long> chosen = new HashSet<>();
    long last = -1;
    for (DeadLetter d : letters) {
      chosen.add((Long) d.position());
      last = Math.max(last, (Long) d.position());
    }
    long from = start(dlq, topic, group);
    while (from <= last) {
      List<ConsumerRecord<byte[], byte[]>> chunk = read(dlq, from, last + 1, CHUNK);
      List<CompletableFuture<?>> sends = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : chunk) {
        if (!chosen.contains(r.offset())) {
          sends.add(transport.sendAsync(new ProducerRecord<>(dlq.topic(), 0, r.key(), r.value(), r.headers())));
        }
      }
      KafkaErrors.get(CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])),
          "keep the dead letters of '" + group + "' that were not chosen", transport.settings().sendTimeout());
      if (chunk.isEmpty()) {
        break; // only transaction markers left before it
      }
      from = chunk.get(chunk.size() - 1).offset() + 1;
      commit(dlq, topic, group, from);
    }
    if (from <= last) {
      commit(dlq, topic, group, last + 1);
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

  /**
   * Records of the dlq in [from, to), at most {@code max}, from {@code from} on without a gap: all of
   * them, or those that arrived within {@code readLimit} after the first.
   */
  private List<ConsumerRecord<byte[], byte[]>> read(TopicPartition dlq, long from, long to, int max) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    if (from >= to || max <= 0) {
      return out;
    }
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(transport.settings().consumer(transport.clientId() + "-dlq", null))) {
      c.assign(List.of(dlq));
      c.seek(dlq, from);
      long begun = System.nanoTime();
      long firstBy = begun + Math.max(readLimit.toNanos(), READ_LIMIT.toNanos());
      long deadline = Long.MAX_VALUE;
      while (c.position(dlq) < to && out.size() < max) {
        if (System.nanoTime() >= (out.isEmpty() ? firstBy : deadline)) {
          if (out.isEmpty()) {
            throw new MqConnectionException("could not read the dead letters " + dlq.topic() + " from offset " + from + " within "
                + Math.max(readLimit.toSeconds(), READ_LIMIT.toSeconds()) + " s; check the cluster (kafka-topics --describe --topic "
                + dlq.topic() + ") and retry", null);
          }
          break;
        }
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (r.offset() < to && out.size() < max) {
            if (out.isEmpty()) {
              deadline = System.nanoTime() + readLimit.toNanos();
            }
            out.add(r);
          }
        }
      }
    }
    return out;
  }
}
