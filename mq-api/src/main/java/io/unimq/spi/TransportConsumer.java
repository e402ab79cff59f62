package io.unimq.spi;

import java.time.Duration;
import java.util.List;

/**
 * A pull-style consumer. {@link #poll} and {@link #idle} are called by one engine thread at a time,
 * never concurrently: the subscription's worker threads take turns (a leader/follower pool, with
 * the hand-over under a lock, so whatever one call wrote is visible to the next). Keep no state in
 * thread-locals. The returned deliveries are settled from other threads, so their methods must be
 * thread-safe. Push-based clients buffer into a queue bounded by the prefetch.
 */
public interface TransportConsumer extends AutoCloseable {
  /**
   * Up to {@code max} deliveries, waiting at most {@code timeout} when none is ready (block on the
   * broker; no busy polling). Returns an empty list on timeout or after {@link #wakeup()}.
   */
  List<InboundMessage> poll(int max, Duration timeout) throws InterruptedException;

  /**
   * Called instead of {@link #poll} (about every 100 ms) while the engine has
   * no capacity for more messages, so that clients needing regular calls from their own thread
   * (Kafka: commits, heartbeats, rebalances with paused partitions) can keep up. Must not fetch.
   */
  default void idle() {}

  /** Makes a blocked {@link #poll} return soon. Thread-safe. */
  default void wakeup() {}

  /**
   * The subscription is paused: the engine calls {@link #idle} instead of {@link #poll} until
   * {@link #resume()}, for as long as the user wants. Clients that fetch ahead on their own
   * (receives under an invisible time that would run out meanwhile) stop doing so and give back
   * what they fetched and did not hand to the engine yet. Thread-safe: called from any thread,
   * after the last poll before the pause. Default: nothing (the engine stops polling, which is
   * enough for clients that fetch only when polled).
   */
  default void pause() {}

  /** The subscription fetches again after {@link #pause()}; called before the next poll. Thread-safe. Default: nothing. */
  default void resume() {}

  /**
   * Stops consuming. Deliveries not yet settled are left unacked, so the broker redelivers them to
   * another member of the group. Called after the last {@link #poll}, from any thread.
   */
  @Override
  void close();
}
