package io.unimq.spi;

import io.unimq.api.Message;
import java.util.List;

/**
 * Optional piece of a {@link Transport}: where failed messages wait, per group, and how they come
 * back. A transport that offers one ({@link Transport#deadLetterStore()}) supports
 * {@link io.unimq.api.Capability#DEAD_LETTER}: the engine then settles failed deliveries with
 * {@link InboundMessage#retryLater} and {@link InboundMessage#deadLetter}, and serves
 * {@link io.unimq.api.DeadLetters} from here. The engine owns replay: it reads a page of the
 * oldest dead letters, {@linkplain #republish republishes} each (with {@link Headers#stripForReplay}
 * applied) to the group, then {@linkplain #remove removes} the page, and repeats until it has
 * replayed as many as {@link #count} gave when it began. Concurrent replays of one group may
 * publish a message twice (consumers deduplicate by id). Thread-safe.
 */
public interface DeadLetterStore {
  /** The number of the group's dead letters. */
  long count(String topic, String group);

  /**
   * Up to {@code max} of the group's oldest dead letters, oldest first, without removing them. Each
   * message carries the failure headers it was dead-lettered with.
   */
  List<DeadLetter> read(String topic, String group, int max);

  /**
   * Makes {@code message} visible again to this group only (not to other groups of the topic), now.
   * Returns when the broker holds it durably.
   */
  void republish(String topic, String group, Message message);

  /**
   * Removes these dead letters, as {@link #read} returned them (the oldest, in order). Idempotent:
   * those already removed are skipped.
   */
  void remove(String topic, String group, List<DeadLetter> letters);

  /** Removes every dead letter of the group; returns how many there were. */
  long purge(String topic, String group);

  /**
   * One dead letter: the message, and where the store holds it (an offset, a stream entry id, a
   * row; opaque to the engine, for {@link #remove}).
   */
  record DeadLetter(Message message, Object position) {}
}
