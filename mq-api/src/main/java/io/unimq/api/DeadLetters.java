package io.unimq.api;

import java.util.List;

/**
 * The dead-letter destination of one group of one topic. Each dead message carries the headers
 * {@code unimq-dlq-original-topic}, {@code -group}, {@code -attempts}, {@code -first-failure},
 * {@code -last-failure} (both epoch milliseconds), {@code -exception} (the fully qualified class
 * name) and {@code -exception-message} (at most 1,000 characters). Thread-safe.
 */
public interface DeadLetters {
  /** Messages currently dead-lettered. */
  long count();

  /** Up to {@code max} dead messages, oldest first, without removing them. */
  List<Message> peek(int max);

  /**
   * Sends every message dead when the replay begins back to the group (and only that group) with
   * its attempt count reset, removing it from the dead letters. Returns how many were replayed.
   */
  long replay();

  /** Removes every dead message; returns how many. */
  long purge();
}
