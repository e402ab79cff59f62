package io.unimq.api;

import io.unimq.spi.UuidIds;
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

  /** For adapters, through {@link io.unimq.spi.Receipts}: parts formatted on first read. */
  SendReceipt(String messageId, long idMsb, long idLsb, String topic, String position, Object positionHead,
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
      text = UuidIds.of(idMsb, idLsb);
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
