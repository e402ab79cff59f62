package io.unimq.api;

/**
 * Optional features an adapter declares. The core features (send with confirm, groups with work
 * queue and fanout, at-least-once delivery, redelivery of unacked messages, lag) are mandatory.
 */
public enum Capability {
  /** Same-key messages handled one at a time, in send order. */
  ORDERING,
  /** Non-blocking retry with backoff, and a dead-letter destination per group. */
  DEAD_LETTER,
  /** {@link Message#deliverAt()} honoured: never early, late by at most the adapter's tolerance. */
  DELAY,
  /** Half messages with local transaction and check-back. */
  TRANSACTIONS,
  /** Handlers may ack explicitly ({@link AckMode#MANUAL}). */
  MANUAL_ACK
}
