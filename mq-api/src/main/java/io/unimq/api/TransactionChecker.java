package io.unimq.api;

/**
 * Answers for a half message whose local transaction outcome was not reported (the producer died,
 * or returned {@link TransactionState#UNKNOWN}). It must answer from real local state, for example
 * by looking up the business row; a checker that always commits turns a rollback into a delivery.
 * Called from a unimq thread; must be thread-safe.
 */
@FunctionalInterface
public interface TransactionChecker {
  TransactionState check(Message half) throws Exception;
}
