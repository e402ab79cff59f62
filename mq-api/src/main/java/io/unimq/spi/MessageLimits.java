package io.unimq.spi;

import io.unimq.api.Message;
import io.unimq.api.MqInvalidMessageException;
import java.util.Map;

/**
 * Limits a broker puts on the parts of a message besides its total size (which is
 * {@link Transport#maxMessageSize()}), in UTF-8 bytes: the id, the key, each header name and value,
 * and all of them together. The engine checks them before a message reaches
 * {@link Transport#publish}, so that a message the broker or its client cannot carry fails with
 * {@link MqInvalidMessageException} and is neither sent nor retried. Immutable, thread-safe.
 *
 * @param maxIdBytes the longest id
 * @param maxKeyBytes the longest key
 * @param maxHeaderNameBytes the longest header name
 * @param maxHeaderValueBytes the longest header value
 * @param maxHeaders the most headers a message may have
 * @param maxHeadersBytes the most that the id, the key and every header name and value take together,
 *     counting {@code overheadPerHeader} more for each header
 * @param overheadPerHeader what the broker's encoding adds per header (length prefixes, separators)
 * @param controlCharacters whether the key, header names and header values may hold ISO control
 *     characters (U+0000 to U+001F, U+007F to U+009F: a newline, a tab)
 * @param broker the broker's name and the origin of the limits, for messages ("RabbitMQ (AMQP short string)")
 */
public record MessageLimits(int maxIdBytes, int maxKeyBytes, int maxHeaderNameBytes, int maxHeaderValueBytes,
    int maxHeaders, int maxHeadersBytes, int overheadPerHeader, boolean controlCharacters, String broker) {

  /** No limit beyond {@link Transport#maxMessageSize()}: the default of {@link Transport#messageLimits()}. */
  public static final MessageLimits NONE = new MessageLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
      Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 0, true, "the broker");

  /**
   * Checks {@code m} against these limits.
   *
   * @throws MqInvalidMessageException naming the part over its limit, the limit and the broker
   */
  public void check(Message m) {
    if (this == NONE) {
      return;
    }
    if (m.headers().size() > maxHeaders) {
      throw new MqInvalidMessageException("message " + abbreviate(m.id()) + " has " + m.headers().size() + " headers, more than the "
          + maxHeaders + " " + broker + " carries; merge them, or put them in the body");
    }
    long total = checkPart("message id", m.hasUuidId() ? 36 : utf8(m.id()), maxIdBytes, m.id());
    if (m.key() != null) {
      total += checkPart("message key", utf8(m.key()), maxKeyBytes, m.key());
    }
    for (Map.Entry<String, String> e : m.headers().entrySet()) {
      total += checkPart("header name", utf8(e.getKey()), maxHeaderNameBytes, e.getKey());
      total += checkPart("value of header '" + abbreviate(e.getKey()) + "'", utf8(e.getValue()), maxHeaderValueBytes, e.getValue());
      total += overheadPerHeader;
    }
    if (total > maxHeadersBytes) {
      throw new MqInvalidMessageException("the id, key and headers of message " + abbreviate(m.id()) + " take " + total
          + " bytes, more than the " + maxHeadersBytes + " bytes " + broker + " carries with a message; "
          + "put large values in the body");
    }
  }

  private long checkPart(String what, long bytes, int max, String value) {
    if (!controlCharacters && !what.startsWith("message id")) {
      for (int i = 0; i < value.length(); i++) {
        if (Character.isISOControl(value.charAt(i))) {
          throw new MqInvalidMessageException(what + " '" + abbreviate(value) + "' holds the control character U+"
              + String.format("%04X", (int) value.charAt(i)) + " at index " + i + ", which " + broker
              + " does not carry; remove it, or encode the text (for example URL-encode it)");
        }
      }
    }
    if (bytes > max) {
      throw new MqInvalidMessageException(what + " '" + abbreviate(value) + "' is " + bytes + " bytes in UTF-8, more than the "
          + max + " bytes " + broker + " allows; shorten it"
          + (what.startsWith("value") ? " or put it in the body" : ""));
    }
    return bytes;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  /** UTF-8 length of {@code s}. */
  static long utf8(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
    }
    return n;
  }
}
