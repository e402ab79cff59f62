package io.unimq.api;

/**
 * Optional features an adapter declares. The core features (send with confirm, groups with work
 * queue and fanout, at-least-once delivery, redelivery of unacked messages, lag) are mandatory.
 */
public enum Capability {
  /** Same-key messages handled one at a time, in send order. */
  ORDERING,
  /**
   * Non-blocking retry with backoff ({@link RetryPolicy}), and a dead-letter destination per group
   * ({@link MqClient#deadLetters}). Without it a failed message is given back to the broker unacked
   * and redelivered as the broker does. An adapter has it exactly when its transport offers a
   * dead-letter store.
   */
  DEAD_LETTER,
  /** {@link Message#deliverAt()} honoured: never early, late by at most the adapter's tolerance. */
  DELAY,
  /** Half messages with local transaction and check-back; an adapter has it exactly when its transport offers them. */
  TRANSACTIONS,
  /** Handlers may ack explicitly ({@link AckMode#MANUAL}). */
  MANUAL_ACK,
  /**
   * The broker's topics and a topic's groups can be listed and a group deleted
   * ({@link Admin#topics()}, {@link Admin#groups}, {@link Admin#deleteGroup}); an adapter has it
   * exactly when its transport offers a topology listing.
   */
  LISTING
}
