package io.unimq.api;

/** Outcome of a local transaction or of a check-back. */
public enum TransactionState {
  COMMIT,
  ROLLBACK,
  /** Not decided yet: the half message stays invisible and the checker is asked again later. */
  UNKNOWN
}
