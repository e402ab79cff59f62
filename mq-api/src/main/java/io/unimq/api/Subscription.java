package io.unimq.api;

import java.time.Duration;

/**
 * A running consumer of one topic for one group. Thread-safe.
 *
 * <p>{@link #close()} stops fetching, waits for in-flight handlers up to the drain timeout, acks
 * those that finished, and leaves the rest unacked so that another member of the group gets them.
 */
public interface Subscription extends AutoCloseable {
  String topic();

  String group();

  /** Messages fetched and not yet acked by this subscription. */
  int inFlight();

  boolean isClosed();

  /** Close, draining in-flight handlers for at most {@code drainTimeout}. */
  void close(Duration drainTimeout);

  /** Close with the subscription's configured drain timeout. */
  @Override
  void close();
}
