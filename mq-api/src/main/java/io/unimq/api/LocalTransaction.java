package io.unimq.api;

/** The caller's local transaction, run after the half message is stored. */
@FunctionalInterface
public interface LocalTransaction {
  /**
   * Runs the local work. Throwing counts as {@link TransactionState#UNKNOWN}: the checker decides.
   */
  TransactionState execute(Message half) throws Exception;
}
