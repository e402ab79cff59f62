package io.unimq.api;

/**
 * Sends half messages. Thread-safe. A half message is invisible to consumers until committed; a
 * rollback discards it; an unknown outcome (or a producer that died) is resolved by the
 * {@link TransactionChecker} of any open producer of the same producer group, after the adapter's
 * check interval.
 */
public interface TransactionalProducer extends AutoCloseable {
  String producerGroup();

  /**
   * Stores {@code message} as a half message, runs {@code localTransaction}, then commits or rolls
   * back according to its answer. Returns the state applied; {@link TransactionState#UNKNOWN}
   * means the checker will decide later.
   */
  TransactionState sendInTransaction(Message message, LocalTransaction localTransaction);

  @Override
  void close();
}
