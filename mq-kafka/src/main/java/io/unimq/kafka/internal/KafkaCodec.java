package io.unimq.kafka.internal;

import io.unimq.api.Message;
import io.unimq.spi.UuidIds;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Message to and from Kafka records: the key is the record key, the body the value, headers are
 * record headers, and the id (and, on delay topics, the due time) travel in internal headers.
 *
 * <p>The id: a lower-case canonical UUID (every id unimq generates) as its 16 bytes under the
 * empty header key {@value #UUID_ID}, which user headers cannot have; any other id as UTF-8 under
 * {@value #ID}. The 16-byte form is 53 bytes per record less than the id as text. Stateless.
 */
final class KafkaCodec {
  /** The header of an id in UTF-8 (ids that are not canonical UUIDs). */
  static final String ID = "unimq-kafka-id";
  /** The header of an id that is a canonical UUID, as its 16 bytes. */
  static final String UUID_ID = "";
  static final String DUE = "unimq-kafka-due";

  private KafkaCodec() {}

  /** A record of {@code m} for {@code kafkaTopic}; {@code partition} null lets the key decide. */
  static ProducerRecord<byte[], byte[]> toRecord(String kafkaTopic, Integer partition, Message m, long dueMillis) {
    return toRecord(kafkaTopic, partition, m, headers(m, dueMillis));
  }

  /** A record of {@code m} for {@code kafkaTopic} with the {@link #headers} of {@code m}. */
  static ProducerRecord<byte[], byte[]> toRecord(String kafkaTopic, Integer partition, Message m, List<Header> headers) {
    byte[] key = m.key() == null ? null : utf8(m.key());
    return new ProducerRecord<>(kafkaTopic, partition, null, key, m.body(), headers);
  }

  /**
   * The record headers of {@code m}: its id, its due time if {@code dueMillis > 0}, its own headers.
   * A list, not {@code RecordHeaders}: the {@code ProducerRecord} copies them into its own anyway.
   */
  static List<Header> headers(Message m, long dueMillis) {
    byte[] uuid = UuidIds.toBytes(m);
    Header id = uuid != null ? new KafkaHeader(UUID_ID, uuid) : new KafkaHeader(ID, utf8(m.id()));
    if (dueMillis <= 0 && m.headers().isEmpty()) {
      return List.of(id); // the common case
    }
    List<Header> headers = new ArrayList<>(2 + m.headers().size());
    headers.add(id);
    if (dueMillis > 0) {
      headers.add(new KafkaHeader(DUE, utf8(Long.toString(dueMillis))));
    }
    m.headers().forEach((k, v) -> headers.add(new KafkaHeader(k, utf8(v))));
    return headers;
  }

  /**
   * An estimate of what an unkeyed record with {@code body} and {@code headers} adds to a batch,
   * from its contents alone: the body, the header keys and values, and {@link #RECORD_FRAMING}
   * bytes for each header and for the record. The client's own count (its record format) stays its
   * own; this only has to be close enough to move to the next partition about when a batch fills.
   */
  static int estimatedSize(byte[] body, List<Header> headers) {
    int size = RECORD_FRAMING + body.length;
    for (int i = 0, n = headers.size(); i < n; i++) {
      Header h = headers.get(i);
      size += RECORD_FRAMING + h.key().length() + (h.value() == null ? 0 : h.value().length);
    }
    return size;
  }

  /**
   * Bytes of framing counted per record and per header in {@link #estimatedSize}: lengths,
   * attributes and deltas, which take a few bytes each for the sizes unimq sends.
   */
  static final int RECORD_FRAMING = 4;

  /**
   * The message carried by {@code r}, as published to the unimq {@code topic}. A record without an
   * id header (a native producer's) gets the id {@code <kafka topic>/<partition>@<offset>}, the same
   * on every redelivery.
   */
  static Message toMessage(String topic, ConsumerRecord<byte[], byte[]> r) {
    Message.Builder b = Message.builder(topic);
    boolean hasId = false;
    for (Header h : r.headers()) {
      String k = h.key();
      if (k.isEmpty()) {
        byte[] v = h.value();
        if (v != null && v.length == 16) { // unimq writes nothing else under the empty key
          UuidIds.id(b, v, 0);
          hasId = true;
        }
      } else if (k.equals(ID)) {
        b.id(string(h.value()));
        hasId = true;
      } else if (!k.equals(DUE)) {
        b.header(h.key(), h.value() == null ? "" : string(h.value()));
      }
    }
    if (!hasId) {
      b.id(r.topic() + "/" + r.partition() + "@" + r.offset());
    }
    if (r.key() != null) {
      b.key(string(r.key()));
    }
    return b.body(r.value() == null ? new byte[0] : r.value()).build();
  }

  /** The due time (epoch millis) of a delay-topic record, 0 when it has none. */
  static long due(ConsumerRecord<byte[], byte[]> r) {
    Header h = r.headers().lastHeader(DUE);
    return h == null ? 0 : Long.parseLong(string(h.value()));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String string(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  /** A record header through the client's public {@link Header} interface. Immutable. */
  record KafkaHeader(String key, byte[] value) implements Header {}
}
