package io.unimq.api;

import java.time.Duration;

/**
 * A running consumer of one topic for one group. Thread-safe.
 *
 * <p>{@link #pause()} stops fetching and keeps the subscription a member of its group until
 * {@link #resume()}. {@link #close()} stops fetching, waits for in-flight handlers up to the drain
 * timeout, acks those that finished, and leaves the rest unacked so that another member of the
 * group gets them.
 */
public interface Subscription extends AutoCloseable {
  /** What a subscription is doing, as {@link #state()} reports it. */
  enum State {
    /** Fetching and handling messages. */
    RUNNING,
    /** Fetching nothing since {@link #pause()}; messages fetched before are still handled and acked. */
    PAUSED,
    /** Closed: fetches and handles nothing any more. */
    CLOSED
  }

  String topic();

  String group();

  /** Messages fetched and not yet acked by this subscription. */
  int inFlight();

  boolean isClosed();

  /**
   * Stops fetching. Returns once no fetch is under way: from then on no message reaches this
   * subscription until {@link #resume()}. Messages fetched before (in flight, running, waiting for
   * a retry in place or behind their key) are still handled, acked, retried or dead-lettered as
   * usual. The subscription stays a member of its group: on Kafka its partitions are paused and the
   * consumer keeps polling, so the group does not rebalance. Messages published meanwhile wait at
   * the broker, count in the group's lag and are delivered after {@link #resume()}. Does nothing
   * when already paused or closed; may be called from a handler.
   */
  void pause();

  /** Fetches again after {@link #pause()}. Does nothing when running or closed. */
  void resume();

  /** {@link State#RUNNING}, {@link State#PAUSED} or {@link State#CLOSED}. */
  State state();

  /** Close, draining in-flight handlers for at most {@code drainTimeout}. */
  void close(Duration drainTimeout);

  /** Close with the subscription's configured drain timeout. */
  @Override
  void close();
}
