package io.unimq.api;

/** How a delivery is acknowledged. */
public enum AckMode {
  /** Acked when the handler returns normally; retried by policy when it throws. The default. */
  AUTO,
  /**
   * The handler calls {@link Delivery#ack()}. Returning without it leaves the message unacked until
   * the subscription closes, after which the broker redelivers it. Throwing still retries by policy.
   */
  MANUAL
}
