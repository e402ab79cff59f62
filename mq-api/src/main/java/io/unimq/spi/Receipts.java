package io.unimq.spi;

import io.unimq.api.Message;
import io.unimq.api.SendReceipt;
import io.unimq.api.internal.MessageAccess;

/**
 * {@link SendReceipt}s for adapters that format nothing on the send path: a generated id is kept as
 * its 128 bits and a position as its parts, and both are formatted only if someone reads them, so
 * a caller that never reads its receipt pays for no text. Stateless and thread-safe.
 */
public final class Receipts {
  private Receipts() {}

  /** A receipt for {@code m}, with {@code position} (may be null). Does not keep {@code m}. */
  public static SendReceipt of(Message m, String topic, String position) {
    MessageAccess.Access a = MessageAccess.get();
    return a.hasIdBits(m) ? a.receipt(null, a.idMsb(m), a.idLsb(m), topic, position, null, null, null)
        : new SendReceipt(m.id(), topic, position);
  }

  /**
   * A receipt for {@code m} whose position reads {@code head + separator + tail} (formatted with
   * {@link String#valueOf}), for example a partition, {@code "@"} and an offset. Does not keep {@code m}.
   */
  public static SendReceipt of(Message m, String topic, Object head, String separator, Object tail) {
    MessageAccess.Access a = MessageAccess.get();
    return a.hasIdBits(m) ? of(null, a.idMsb(m), a.idLsb(m), topic, head, separator, tail)
        : of(m.id(), 0, 0, topic, head, separator, tail);
  }

  /**
   * As {@link #of(Message, String, Object, String, Object)}, for a callback that must not keep the
   * message (and its body) until the broker's ack: the id as {@link #textId} gave it, or when that
   * is null as the {@link UuidIds#msb}/{@link UuidIds#lsb} of the message.
   */
  public static SendReceipt of(String textId, long idMsb, long idLsb, String topic, Object head, String separator, Object tail) {
    return MessageAccess.get().receipt(textId, idMsb, idLsb, topic, null, head, separator == null ? "" : separator, tail);
  }

  /** {@code m}'s id as text when it is held as text, null when it is held as its 128 bits (see {@link UuidIds#msb}). */
  public static String textId(Message m) {
    return MessageAccess.get().hasIdBits(m) ? null : m.id();
  }
}
