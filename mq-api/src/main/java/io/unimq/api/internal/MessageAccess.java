package io.unimq.api.internal;

import io.unimq.api.Message;
import io.unimq.api.SendReceipt;

/**
 * What adapters may do with a {@link Message} beyond the public API, through
 * {@link io.unimq.spi.UuidIds} and {@link io.unimq.spi.Receipts}: read and set an id held as its 128
 * bits rather than as text (a generated id is formatted only when {@link Message#id()} is first
 * called), and make receipts that format their texts on first read. {@link Message}
 * registers the implementation when its class is initialized. Thread-safe.
 */
public final class MessageAccess {
  /** Implemented by {@link Message}. */
  public interface Access {
    /** True when {@code m}'s id is held as 128 bits. */
    boolean hasIdBits(Message m);

    long idMsb(Message m);

    long idLsb(Message m);

    /** Gives the message being built the id with these 128 bits. */
    Message.Builder idBits(Message.Builder b, long msb, long lsb);

    /** A receipt whose id (when {@code textId} is null) and position (when {@code separator} is not null) are formatted on first read. */
    SendReceipt receipt(String textId, long msb, long lsb, String topic, String position, Object head, String separator, Object tail);
  }

  private static volatile Access access;

  private MessageAccess() {}

  /** Called once, by {@link Message}'s static initializer. */
  public static void register(Access a) {
    access = a;
  }

  /** The implementation; initializes {@link Message} if nothing has yet. */
  public static Access get() {
    Access a = access;
    if (a == null) {
      try {
        Class.forName(Message.class.getName(), true, Message.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
      a = access;
    }
    return a;
  }
}
