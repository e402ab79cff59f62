package io.unimq.api;

import java.util.List;

/**
 * The dead-letter destination of one group of one topic. Each dead message carries the headers
 * {@code unimq-dlq-original-topic}, {@code -group}, {@code -attempts}, {@code -first-failure},
 * {@code -last-failure} (both epoch milliseconds), {@code -exception} (the fully qualified class
 * name) and {@code -exception-message} (at most 1,000 characters).
 *
 * <p>Replay and purge of a {@link DeadLetterSelection} stream: they examine the dead letters a page
 * at a time, oldest first (never all in memory), act on those selected and report
 * {@link Progress}. They examine as many as were dead when they began; messages dead-lettered
 * meanwhile wait for the next call. A replay republishes each selected message before removing it
 * from the dead letters, so a failure part-way (an exception from this call) loses nothing: what was
 * replayed is gone from the dead letters, the rest is still there, and at most the page being
 * replayed may be delivered again later (consumers deduplicate by id).
 *
 * <p>Thread-safe. Concurrent replays or purges of one group are allowed and lose nothing, but may
 * publish a message twice, and on some brokers may leave a dead letter twice (see the adapter's
 * README: on log-based brokers, removing chosen dead letters re-appends the ones kept before them).
 */
public interface DeadLetters {
  /** Messages currently dead-lettered. */
  long count();

  /** Up to {@code max} dead messages, oldest first, without removing them. */
  List<Message> peek(int max);

  /**
   * Up to {@code max} dead messages after {@code cursor} (null: from the oldest), oldest first,
   * without removing them, and the cursor of the next page. A cursor is a string from
   * {@link Page#next()} of this group's dead letters; it stays valid while the dead letter it
   * follows is there, and on most adapters after that one is replayed or purged too (RabbitMQ's
   * refuses it then: see the adapter's README). Dead letters that die meanwhile appear on a later
   * page; on log-based brokers a selective replay or purge meanwhile moves kept ones to the end,
   * so a walk by cursor may see those twice (never miss one).
   *
   * @throws MqException naming the cursor when it is not one of this group's or no longer valid
   */
  Page page(String cursor, int max);

  /**
   * Sends every message dead when the replay begins back to the group (and only that group) with
   * its attempt count reset, removing it from the dead letters. Returns how many were replayed.
   */
  long replay();

  /** Removes every dead message; returns how many. */
  long purge();

  /** {@link #replay(DeadLetterSelection, Progress)} without progress reports. */
  default long replay(DeadLetterSelection selection) {
    return replay(selection, Progress.NONE);
  }

  /**
   * Sends the selected dead messages back to the group (and only that group) with their attempt
   * count reset, removing them from the dead letters; returns how many were replayed.
   */
  long replay(DeadLetterSelection selection, Progress progress);

  /**
   * Publishes the selected dead messages to {@code topic} (to every group of it, like a send, with
   * their ids, keys, bodies and own headers, the retry and dead-letter headers removed) and removes
   * them from these dead letters; returns how many.
   */
  long replayTo(String topic, DeadLetterSelection selection, Progress progress);

  /** Removes the selected dead messages; returns how many. */
  long purge(DeadLetterSelection selection, Progress progress);

  /** A page of dead messages; {@code next} is the cursor of the following page, null after the last. */
  record Page(List<Message> messages, String next) {
    public Page {
      messages = List.copyOf(messages);
    }
  }

  /**
   * Told, on the calling thread after each page, how many dead letters a replay or purge has
   * examined ({@code done}) of how many it will examine at most ({@code total}, those dead when it
   * began), and how many it has acted on so far ({@code acted}).
   */
  @FunctionalInterface
  interface Progress {
    /** Reports nothing. */
    Progress NONE = (done, total, acted) -> {};

    void update(long done, long total, long acted);
  }
}
