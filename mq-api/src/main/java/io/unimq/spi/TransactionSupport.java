package io.unimq.spi;

import io.unimq.api.Message;
import io.unimq.api.TransactionChecker;

/** Native half messages (RocketMQ 5). Thread-safe. */
public interface TransactionSupport {
  /** A half message stored by the broker, awaiting its outcome. */
  interface Half {
    void commit();

    void rollback();
  }

  /**
   * Registers the checker of {@code producerGroup} in this client; the broker's check-backs for the
   * group are answered by it. Closing the handle unregisters it.
   */
  AutoCloseable register(String producerGroup, TransactionChecker checker);

  /** Sends {@code message} as a half message of {@code producerGroup}. */
  Half prepare(String producerGroup, Message message);
}
