package io.unimq.rocketmq.internal;

import io.unimq.api.Message;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.message.MessageBuilder;
import org.apache.rocketmq.common.message.MessageConst;

/**
 * unimq messages to RocketMQ messages and back. Headers travel as user properties; the unimq id,
 * key and the headers RocketMQ cannot carry as properties (blank values) travel in properties
 * prefixed {@value #PREFIX}, removed again on receipt. An empty body is sent as one byte plus a
 * marker (RocketMQ refuses empty bodies). Stateless.
 */
final class RocketCodec {
  static final String PREFIX = "unimq-rmq-";
  static final String ID = PREFIX + "id";
  static final String KEY = PREFIX + "key";
  static final String EMPTY = PREFIX + "empty";
  static final String BLANK = PREFIX + "blank";
  static final String TX_GROUP = PREFIX + "tx-group";
  private static final byte[] ONE_BYTE = {0};

  private RocketCodec() {}

  /** A builder for {@code m} on {@code physicalTopic}, with tag, keys, properties and body set. */
  static MessageBuilder encode(ClientServiceProvider provider, Message m, String physicalTopic, String tag) {
    MessageBuilder b = provider.newMessageBuilder().setTopic(physicalTopic).setTag(tag);
    boolean empty = m.body().length == 0;
    b.setBody(empty ? ONE_BYTE : m.body());
    if (empty) {
      b.addProperty(EMPTY, "1");
    }
    b.addProperty(ID, m.id());
    if (m.key() != null) {
      b.addProperty(KEY, m.key());
      if (!m.key().isBlank()) {
        b.setKeys(m.key());
      }
    }
    StringBuilder blank = new StringBuilder();
    for (Map.Entry<String, String> h : m.headers().entrySet()) {
      if (h.getValue().isBlank() || h.getKey().isBlank()) {
        blank.append(blank.length() == 0 ? "" : "&").append(enc(h.getKey())).append('=').append(enc(h.getValue()));
      } else {
        b.addProperty(h.getKey(), h.getValue());
      }
    }
    if (blank.length() > 0) {
      b.addProperty(BLANK, blank.toString());
    }
    return b;
  }

  /** The unimq message for a received RocketMQ message of logical topic {@code topic}. */
  static Message decode(String topic, Map<String, String> properties, ByteBuffer body, String fallbackId) {
    return decode(topic, properties, body, fallbackId, null);
  }

  static Message decode(String topic, Map<String, String> properties, byte[] body, String fallbackId) {
    return decode(topic, properties, body, fallbackId, null);
  }

  /** With {@code nativeKey} standing in for the key of a message that has no unimq key property. */
  static Message decode(String topic, Map<String, String> properties, ByteBuffer body, String fallbackId, String nativeKey) {
    byte[] bytes;
    if (properties.containsKey(EMPTY)) {
      bytes = new byte[0];
    } else {
      bytes = new byte[body.remaining()];
      body.duplicate().get(bytes);
    }
    return decode(topic, properties, bytes, fallbackId, nativeKey);
  }

  /**
   * A message of a native producer has none of the {@value #PREFIX} properties: its id is the
   * RocketMQ message id ({@code fallbackId}, the same on every redelivery), its key {@code nativeKey}
   * (see {@link #nativeKey}) or, read with the remoting client, its first {@code KEYS}.
   */
  static Message decode(String topic, Map<String, String> properties, byte[] body, String fallbackId, String nativeKey) {
    String id = properties.getOrDefault(ID, fallbackId);
    Message.Builder b = Message.builder(topic).id(id).body(properties.containsKey(EMPTY) ? new byte[0] : body);
    String key = properties.get(KEY);
    if (key == null) {
      key = nativeKey != null ? nativeKey : firstKey(properties.get(MessageConst.PROPERTY_KEYS));
    }
    if (key != null) {
      b.key(key);
    }
    for (Map.Entry<String, String> p : properties.entrySet()) {
      if (!p.getKey().startsWith(PREFIX) && !isSystemProperty(p.getKey())) {
        b.header(p.getKey(), p.getValue());
      }
    }
    String blank = properties.get(BLANK);
    if (blank != null) {
      for (String pair : blank.split("&")) {
        int eq = pair.indexOf('=');
        b.header(dec(pair.substring(0, eq)), dec(pair.substring(eq + 1)));
      }
    }
    return b.build();
  }

  /** A native message's key: its message group (FIFO topics), else the first of its keys, else null. */
  static String nativeKey(String messageGroup, java.util.Collection<String> keys) {
    if (messageGroup != null && !messageGroup.isEmpty()) {
      return messageGroup;
    }
    return keys == null || keys.isEmpty() ? null : keys.iterator().next();
  }

  private static String firstKey(String keys) {
    if (keys == null || keys.isBlank()) {
      return null;
    }
    String first = keys.trim().split(MessageConst.KEY_SEPARATOR)[0];
    return first.isEmpty() ? null : first;
  }

  /** RocketMQ's own properties (KEYS, TAGS, UNIQ_KEY, ...) seen when reading with the remoting client. */
  private static boolean isSystemProperty(String name) {
    return MessageConst.STRING_HASH_SET.contains(name) || name.startsWith("__");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String dec(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
