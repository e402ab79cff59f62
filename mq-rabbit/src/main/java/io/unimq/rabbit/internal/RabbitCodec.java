package io.unimq.rabbit.internal;

import com.rabbitmq.client.AMQP;
import io.unimq.api.Message;
import io.unimq.spi.MessageLimits;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Message to AMQP and back. The body is the AMQP body, the id the {@code message-id} property, every
 * header a string header; key, topic and due time travel in {@code x-unimq-*} headers. Headers the
 * broker or the delay ladder add ({@code x-death}, {@code unimq-delay-*}) are dropped on the way in.
 * A native producer's message (no {@code message-id}, no {@code x-unimq-*} headers) is read the same
 * way: its id derived from its content ({@link #contentId}), its key from {@code x-unimq-key} if it
 * set one, its headers (any type, as text) as headers. Stateless.
 */
final class RabbitCodec {
  static final String KEY = "x-unimq-key";
  static final String TOPIC = "x-unimq-topic";
  static final String DELIVER_AT = "x-unimq-deliver-at";
  static final String CHECK_AT = "x-unimq-check-at";
  private static final int PERSISTENT = 2;

  /** The longest AMQP short string (header names, the message-id property), in UTF-8 bytes. */
  static final int SHORT_STRING_MAX = 255;
  /** Room kept in the content-header frame for the properties and the adapter's own headers. */
  static final int RESERVED_HEADER_BYTES = 4096;
  /** What the AMQP field table adds per string header: name length, type tag, value length. */
  static final int FIELD_OVERHEAD = 6;

  private RabbitCodec() {}

  /**
   * What AMQP lets a message carry: an id and header names of at most 255 bytes (short strings), and
   * all properties in one content-header frame of {@code frameMax} bytes (0: unlimited), less the
   * room the adapter's own headers need.
   */
  static MessageLimits limits(int frameMax) {
    int headers = frameMax <= 0 ? Integer.MAX_VALUE : Math.max(0, frameMax - RESERVED_HEADER_BYTES);
    return new MessageLimits(SHORT_STRING_MAX, Integer.MAX_VALUE, SHORT_STRING_MAX, Integer.MAX_VALUE, Integer.MAX_VALUE, headers,
        FIELD_OVERHEAD, true, "RabbitMQ (AMQP short strings of 255 bytes, properties within one frame of " + frameMax + " bytes)");
  }

  /** Persistent properties for {@code m}, with {@code extra} headers added. */
  static AMQP.BasicProperties properties(Message m, Map<String, Object> extra) {
    return properties(m, extra, true);
  }

  /**
   * Properties for a publish to the topic's own exchange: no topic header, since the queue's
   * consumer knows its topic (every header is a field the broker decodes and stores per message).
   */
  static AMQP.BasicProperties topicProperties(Message m) {
    return properties(m, null, false);
  }

  private static AMQP.BasicProperties properties(Message m, Map<String, Object> extra, boolean withTopic) {
    Map<String, Object> headers = new HashMap<>(m.headers());
    if (withTopic) {
      headers.put(TOPIC, m.topic());
    }
    if (m.key() != null) {
      headers.put(KEY, m.key());
    }
    if (m.deliverAt() != null) {
      headers.put(DELIVER_AT, Long.toString(m.deliverAt().toEpochMilli()));
    }
    if (extra != null) {
      headers.putAll(extra);
    }
    return new AMQP.BasicProperties.Builder()
        .deliveryMode(PERSISTENT)
        .messageId(m.id())
        .timestamp(new Date())
        .contentType("application/octet-stream")
        .headers(headers.isEmpty() ? null : headers)
        .build();
  }

  /** The message carried by a delivery; {@code topic} is used when the headers do not say. */
  static Message message(String topic, AMQP.BasicProperties p, byte[] body) {
    Map<String, Object> headers = p.getHeaders() == null ? Map.of() : p.getHeaders();
    Object t = headers.get(TOPIC);
    Message.Builder b = Message.builder(t == null ? topic : t.toString()).body(body);
    b.id(p.getMessageId() != null ? p.getMessageId() : contentId(p, headers, body));
    for (Map.Entry<String, Object> e : headers.entrySet()) {
      String name = e.getKey();
      Object v = e.getValue();
      if (name.equals(KEY)) {
        b.key(v.toString());
      } else if (name.equals(DELIVER_AT)) {
        b.deliverAt(Instant.ofEpochMilli(Long.parseLong(v.toString())));
      } else if (!internal(name) && v != null) {
        b.header(name, v.toString());
      }
    }
    return b.build();
  }

  /**
   * The id of a message published without {@code message-id} (a native producer's): a name-based
   * UUID of its timestamp, headers and body, so a redelivery of it has the same id.
   */
  static String contentId(AMQP.BasicProperties p, Map<String, Object> headers, byte[] body) {
    StringBuilder s = new StringBuilder();
    s.append(p.getTimestamp() == null ? "" : Long.toString(p.getTimestamp().getTime())).append('\n');
    s.append(p.getCorrelationId()).append('\n').append(new TreeMap<>(headers)).append('\n');
    byte[] head = s.toString().getBytes(StandardCharsets.UTF_8);
    byte[] all = Arrays.copyOf(head, head.length + (body == null ? 0 : body.length));
    if (body != null) {
      System.arraycopy(body, 0, all, head.length, body.length);
    }
    return UUID.nameUUIDFromBytes(all).toString();
  }

  /** The check-back time of a half-message ticket, or 0. */
  static long checkAt(AMQP.BasicProperties p) {
    Object v = p.getHeaders() == null ? null : p.getHeaders().get(CHECK_AT);
    return v == null ? 0 : Long.parseLong(v.toString());
  }

  private static boolean internal(String name) {
    return name.startsWith("x-unimq-") || name.startsWith(DelayLadder.HEADER_PREFIX)
        || name.equals("x-death") || name.startsWith("x-first-death-") || name.startsWith("x-last-death-")
        || name.equals("x-delivery-count");
  }
}
