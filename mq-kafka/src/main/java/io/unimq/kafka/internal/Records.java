package io.unimq.kafka.internal;

import io.unimq.api.Message;
import io.unimq.spi.UuidIds;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.utils.ByteUtils;

/**
 * Message to and from Kafka records: the key is the record key, the body the value, headers are
 * record headers, and the id (and, on delay topics, the due time) travel in internal headers.
 *
 * <p>The id: a lower-case canonical UUID (every id unimq generates) as its 16 bytes under the
 * empty header key {@value #UUID_ID}, which user headers cannot have; any other id as UTF-8 under
 * {@value #ID}. Together 53 bytes per record less than the id as text under {@value #ID}, which
 * earlier builds wrote for every id and which is still read; earlier builds cannot read the 16-byte
 * form, so upgrade the consumers of a topic before its producers. On a record of 100 bytes the
 * text form cost the native client a quarter of its throughput.
 */
final class Records {
  /** The header of an id in UTF-8 (ids that are not canonical UUIDs; every id in earlier builds). */
  static final String ID = "unimq-kafka-id";
  /** The header of an id that is a canonical UUID, as its 16 bytes. */
  static final String UUID_ID = "";
  static final String DUE = "unimq-kafka-due";

  private Records() {}

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
    Header id = uuid != null ? new RecordHeader(UUID_ID, uuid) : new RecordHeader(ID, utf8(m.id()));
    if (dueMillis <= 0 && m.headers().isEmpty()) {
      return List.of(id); // the common case
    }
    List<Header> headers = new ArrayList<>(2 + m.headers().size());
    headers.add(id);
    if (dueMillis > 0) {
      headers.add(new RecordHeader(DUE, utf8(Long.toString(dueMillis))));
    }
    m.headers().forEach((k, v) -> headers.add(new RecordHeader(k, utf8(v))));
    return headers;
  }

  /**
   * The size of an unkeyed record with {@code body} and {@code headers} in a batch, at offset
   * {@code offsetDelta} in it, in Kafka's record format v2 (a length, attributes, timestamp delta,
   * offset delta, key, value and headers, lengths and deltas as zigzag varints). The timestamp delta
   * is taken as under 64 ms and header keys as ASCII: the size is never overestimated.
   */
  static int sizeInBatch(int offsetDelta, byte[] body, List<Header> headers) {
    // attributes, timestamp delta, offset delta, null key, value
    int size = 1 + 1 + ByteUtils.sizeOfVarint(offsetDelta) + 1 + ByteUtils.sizeOfVarint(body.length) + body.length;
    for (int i = 0, n = headers.size(); i < n; i++) {
      Header h = headers.get(i);
      int k = h.key().length();
      int v = h.value() == null ? 0 : h.value().length;
      size += ByteUtils.sizeOfVarint(k) + k + ByteUtils.sizeOfVarint(v) + v;
    }
    size += ByteUtils.sizeOfVarint(headers.size());
    return ByteUtils.sizeOfVarint(size) + size;
  }

  /** The message carried by {@code r}, as published to the unimq {@code topic}. */
  static Message toMessage(String topic, ConsumerRecord<byte[], byte[]> r) {
    Message.Builder b = Message.builder(topic);
    for (Header h : r.headers()) {
      String k = h.key();
      if (k.isEmpty()) {
        byte[] v = h.value();
        if (v != null && v.length == 16) {
          UuidIds.id(b, v, 0);
        } else {
          b.id(string(v));
        }
      } else if (k.equals(ID)) {
        b.id(string(h.value()));
      } else if (!k.equals(DUE)) {
        b.header(h.key(), string(h.value()));
      }
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
}
