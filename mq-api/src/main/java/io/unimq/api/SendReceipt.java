package io.unimq.api;

import java.util.Objects;

/**
 * Proof that the broker holds a message as durably as it can promise (publisher confirm, acks=all,
 * SEND_OK, XADD reply). {@code position} is broker-specific (offset, stream id, RocketMQ message
 * id) and may be null.
 *
 * <p>A value, compared by its three texts like a record. Receipts made by adapters format the
 * message id and the position on first read ({@link #messageId()}, {@link #position()}), since
 * most sends are confirmed without anyone reading them: a benign race, as every thread formats the
 * same text. Immutable and thread-safe.
 */
public final class SendReceipt {
  private final String topic;
  /** The id's text; null until first read when the id is held as {@link #idMsb}/{@link #idLsb}. */
  private String messageId;
  private final long idMsb;
  private final long idLsb;
  /** The position's text; null until first read when it is held as its parts. */
  private String position;
  private final Object positionHead;
  private final String positionSeparator;
  private final Object positionTail;

  /**
   * @param messageId the id of the message sent
   * @param topic the unimq topic it was sent to
   * @param position where the broker holds it (broker-specific), or null
   */
  public SendReceipt(String messageId, String topic, String position) {
    this(messageId, 0, 0, topic, position, null, null, null);
  }

  /**
   * A receipt for {@code message} that formats nothing until read: a generated id stays its 128 bits
   * until {@link #messageId()} is called. For adapters, whose sends are mostly confirmed without
   * anyone reading the receipt. Does not keep {@code message}.
   *
   * @param position where the broker holds it (broker-specific), or null
   */
  public static SendReceipt of(Message message, String topic, String position) {
    return message.idHeldAsBits() ? new SendReceipt(null, message.rawMsb(), message.rawLsb(), topic, position, null, null, null)
        : new SendReceipt(message.id(), topic, position);
  }

  /**
   * As {@link #of(Message, String, String)}, with a position that reads {@code head + separator + tail}
   * (each formatted with {@link String#valueOf}) and is formatted on first read, for example a
   * partition, {@code "@"} and an offset. Does not keep {@code message}.
   */
  public static SendReceipt of(Message message, String topic, Object head, String separator, Object tail) {
    return message.idHeldAsBits() ? of(message.rawMsb(), message.rawLsb(), topic, head, separator, tail)
        : of(message.id(), topic, head, separator, tail);
  }

  /**
   * As {@link #of(Message, String, Object, String, Object)} for a UUID id given as its 128 bits
   * ({@link Message#idMostSignificantBits()}, {@link Message#idLeastSignificantBits()}): for a
   * callback that must not keep the message (and its body) until the broker's ack.
   */
  public static SendReceipt of(long idMostSignificantBits, long idLeastSignificantBits, String topic, Object head, String separator,
      Object tail) {
    return new SendReceipt(null, idMostSignificantBits, idLeastSignificantBits, topic, null, head, separator == null ? "" : separator, tail);
  }

  /** As {@link #of(Message, String, Object, String, Object)} for an id given as text. */
  public static SendReceipt of(String messageId, String topic, Object head, String separator, Object tail) {
    return new SendReceipt(messageId, 0, 0, topic, null, head, separator == null ? "" : separator, tail);
  }

  private SendReceipt(String messageId, long idMsb, long idLsb, String topic, String position, Object positionHead,
      String positionSeparator, Object positionTail) {
    this.messageId = messageId;
    this.idMsb = idMsb;
    this.idLsb = idLsb;
    this.topic = topic;
    this.position = position;
    this.positionHead = positionHead;
    this.positionSeparator = positionSeparator;
    this.positionTail = positionTail;
  }

  /** The id of the message sent. */
  public String messageId() {
    String text = messageId;
    if (text == null) {
      text = Uuids.format(idMsb, idLsb);
      messageId = text;
    }
    return text;
  }

  /** The unimq topic the message was sent to. */
  public String topic() {
    return topic;
  }

  /** Where the broker holds the message (broker-specific), or null. */
  public String position() {
    String text = position;
    if (text == null && positionSeparator != null) {
      text = positionHead + positionSeparator + positionTail;
      position = text;
    }
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SendReceipt r && Objects.equals(messageId(), r.messageId()) && Objects.equals(topic, r.topic)
        && Objects.equals(position(), r.position());
  }

  @Override
  public int hashCode() {
    return Objects.hash(messageId(), topic, position());
  }

  @Override
  public String toString() {
    return "SendReceipt[messageId=" + messageId() + ", topic=" + topic + ", position=" + position() + "]";
  }
}
