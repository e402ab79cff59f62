package io.unimq.api;

import java.util.Map;

/**
 * The checks every send and every group-level call makes, for code that wants to fail at the same
 * place before reaching a client (an outbox that stores messages for a later send, a configuration
 * check). A portable name is {@code [A-Za-z0-9_-]{1,100}}: what RabbitMQ, RocketMQ, Kafka and Redis
 * all accept. Stateless and thread-safe.
 */
public final class Names {

  /** The last name found portable: Strings are immutable, so the same object needs no second look. */
  private static volatile String lastPortable;

  private Names() {}

  /**
   * Returns {@code name} when it is portable.
   *
   * @param kind what the name is, for the error message ({@code "topic"}, {@code "group"}, ...)
   * @throws MqInvalidMessageException null or not portable
   */
  public static String check(String kind, String name) {
    if (name == null) {
      throw new MqInvalidMessageException(kind + " is null; give a name of 1-100 characters from [A-Za-z0-9_-]");
    }
    if (name == lastPortable) {
      return name; // the same String object passed a moment ago (a producer's topic, send after send)
    }
    if (!portable(name)) {
      throw new MqInvalidMessageException(kind + " '" + name + "' is not portable: use 1-100 characters from [A-Za-z0-9_-]"
          + " (RocketMQ forbids dots, Kafka and Redis forbid spaces)");
    }
    lastPortable = name;
    return name;
  }

  /** {@code [A-Za-z0-9_-]{1,100}}, without a regex: this runs on every send. */
  private static boolean portable(String name) {
    int n = name.length();
    if (n == 0 || n > 100) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks what every send checks, except a broker's size limit: a portable topic, a body (empty,
   * not null), a key that is null or not empty, header names that are not empty and do not
   * use the reserved prefix {@value Message#RESERVED_HEADER_PREFIX}, and an id, key and headers
   * that UTF-8 can encode faithfully (no lone UTF-16 surrogate).
   *
   * @throws MqInvalidMessageException what is wrong and how to fix it
   */
  public static void checkMessage(Message m) {
    checkMessage(m, Integer.MAX_VALUE);
  }

  /**
   * As {@link #checkMessage(Message)}, and the message's {@link Message#approximateSize()} is at
   * most {@code maxSize} (see {@link MqClient#maxMessageSize()}).
   *
   * @throws MqInvalidMessageException what is wrong and how to fix it
   */
  public static void checkMessage(Message m, int maxSize) {
    if (m == null) {
      throw new MqInvalidMessageException("message is null");
    }
    check("topic", m.topic());
    if (m.body() == null) {
      throw new MqInvalidMessageException("message body is null for topic '" + m.topic() + "'; send an empty array for an empty body");
    }
    if (!m.headers().isEmpty()) { // an empty map's iterator is still an allocation per send
      for (Map.Entry<String, String> e : m.headers().entrySet()) {
        String h = e.getKey();
        if (h.startsWith(Message.RESERVED_HEADER_PREFIX)) {
          throw new MqInvalidMessageException("header '" + h + "' uses the reserved prefix '" + Message.RESERVED_HEADER_PREFIX + "'; rename it");
        }
        if (h.isEmpty()) {
          throw new MqInvalidMessageException("header name is empty");
        }
        checkEncodable("header name", h);
        checkEncodable("value of header '" + h + "'", e.getValue());
      }
    }
    if (m.key() != null) {
      if (m.key().isEmpty()) {
        throw new MqInvalidMessageException("message key is empty; use null for no key");
      }
      checkEncodable("message key", m.key());
    }
    if (!m.idHeldAsBits()) {
      checkEncodable("message id", m.id());
    }
    if (upperBound(m) <= maxSize) {
      return; // no need to count UTF-8 bytes exactly
    }
    int size = m.approximateSize();
    if (size > maxSize) {
      throw new MqInvalidMessageException("message of " + size + " bytes exceeds this broker's maximum of " + maxSize
          + " bytes; split it or store the payload elsewhere and send a reference");
    }
  }

  /**
   * Rejects a string with a lone UTF-16 surrogate: no broker's encoding (UTF-8) can carry it, and the
   * clients would replace it with {@code ?} or U+FFFD, so the message would arrive altered.
   */
  private static void checkEncodable(String what, String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < Character.MIN_SURROGATE) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new MqInvalidMessageException(what + " has a lone UTF-16 surrogate (\\u" + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)
            + " at index " + i + "), which no broker can carry unaltered; pass text that encodes to UTF-8, or Base64 the bytes");
      }
    }
  }

  /** At least {@link Message#approximateSize()}: at most 3 UTF-8 bytes per char. */
  private static long upperBound(Message m) {
    int id = m.idHeldAsBits() ? 36 : m.id().length(); // a generated id is not formatted here
    long chars = m.topic().length() + id + (m.key() == null ? 0 : m.key().length());
    for (Map.Entry<String, String> e : m.headers().entrySet()) {
      chars += e.getKey().length() + e.getValue().length();
    }
    return m.body().length + 3 * chars;
  }
}
