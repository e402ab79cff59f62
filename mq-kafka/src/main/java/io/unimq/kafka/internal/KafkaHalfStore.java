package io.unimq.kafka.internal;

import io.unimq.api.Message;
import io.unimq.spi.HalfMessageStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Half messages in the compacted single-partition topic {@code unimq.half.<producerGroup>}: one
 * record per message id holding the message and its next check time, a tombstone on removal.
 * Each operation first reads the topic up to its end into a local view, so every process sees
 * every other's writes. Thread-safe. Two processes racing on the same id may both see it as
 * present (both remove, or both claim): the commit is then published twice with one id, which
 * consumers deduplicate, the same as the engine's crash window.
 */
final class KafkaHalfStore implements HalfMessageStore, AutoCloseable {
  private static final String TOPIC = "unimq-kafka-topic";
  private static final String KEY = "unimq-kafka-key";
  private static final String DELIVER_AT = "unimq-kafka-deliver-at";

  private final KafkaTransport transport;
  private final Map<String, View> views = new ConcurrentHashMap<>();

  KafkaHalfStore(KafkaTransport transport) {
    this.transport = transport;
  }

  private View view(String producerGroup) {
    return views.computeIfAbsent(producerGroup, View::new);
  }

  @Override
  public void put(String producerGroup, Message half, Instant checkAt) {
    view(producerGroup).write(half, checkAt);
  }

  @Override
  public boolean remove(String producerGroup, String messageId) {
    return view(producerGroup).remove(messageId);
  }

  @Override
  public List<Message> claimDue(String producerGroup, Instant now, Instant nextCheckAt, int max) {
    return view(producerGroup).claim(now, nextCheckAt, max);
  }

  @Override
  public void close() {
    views.values().forEach(View::close);
  }

  private record Half(Message message, long checkAt) {}

  /** One producer group's halves as read from its topic. */
  private final class View {
    private final String topic;
    private final TopicPartition partition;
    private final Map<String, Half> halves = new LinkedHashMap<>();
    private KafkaConsumer<byte[], byte[]> reader;

    View(String producerGroup) {
      transport.topology().declareHalfTopic(producerGroup);
      this.topic = KafkaTopology.half(producerGroup);
      this.partition = new TopicPartition(topic, 0);
    }

    synchronized void write(Message half, Instant checkAt) {
      Message.Builder stored = half.toBuilder().deliverAt(null).header(TOPIC, half.topic()).key(half.id());
      if (half.key() != null) {
        stored.header(KEY, half.key());
      }
      if (half.deliverAt() != null) {
        stored.header(DELIVER_AT, Long.toString(half.deliverAt().toEpochMilli()));
      }
      transport.send(KafkaCodec.toRecord(topic, 0, stored.build(), checkAt.toEpochMilli()), "half message " + half.id());
      halves.put(half.id(), new Half(half, checkAt.toEpochMilli()));
    }

    synchronized boolean remove(String id) {
      catchUp();
      if (!halves.containsKey(id)) {
        return false;
      }
      transport.send(new ProducerRecord<>(topic, 0, KafkaCodec.utf8(id), null), "removal of half message " + id);
      halves.remove(id);
      return true;
    }

    synchronized List<Message> claim(Instant now, Instant next, int max) {
      catchUp();
      List<Message> out = new ArrayList<>();
      for (Half h : List.copyOf(halves.values())) {
        if (out.size() >= max) {
          break;
        }
        if (h.checkAt() <= now.toEpochMilli()) {
          write(h.message(), next);
          out.add(h.message());
        }
      }
      return out;
    }

    private void catchUp() {
      if (reader == null) {
        reader = new KafkaConsumer<>(transport.settings().consumer(transport.clientId() + "-half", null));
        reader.assign(List.of(partition));
        reader.seekToBeginning(List.of(partition));
      }
      long end = reader.endOffsets(List.of(partition)).get(partition);
      while (reader.position(partition) < end) {
        for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
          apply(r);
        }
      }
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
      String id = KafkaCodec.string(r.key());
      if (r.value() == null) {
        halves.remove(id);
        return;
      }
      Message stored = KafkaCodec.toMessage(null, r);
      Message.Builder b = stored.toBuilder().topic(header(r, TOPIC)).key(header(r, KEY))
          .removeHeader(TOPIC).removeHeader(KEY).removeHeader(DELIVER_AT);
      String at = header(r, DELIVER_AT);
      b.deliverAt(at == null ? null : Instant.ofEpochMilli(Long.parseLong(at)));
      halves.put(id, new Half(b.build(), KafkaCodec.due(r)));
    }

    private String header(ConsumerRecord<byte[], byte[]> r, String name) {
      Header h = r.headers().lastHeader(name);
      return h == null ? null : KafkaCodec.string(h.value());
    }

    synchronized void close() {
      if (reader != null) {
        reader.close(Duration.ofSeconds(2));
      }
    }
  }
}
