package io.unimq.spi;

import io.unimq.api.Message;
import io.unimq.api.MqException;
import java.util.ArrayList;
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
 * publish a message twice (consumers deduplicate by id).
 *
 * <p>For selective replays and purges and for paging the engine also reads past a
 * {@linkplain #cursor cursor} ({@link #readAfter}) and removes chosen dead letters that are not the
 * oldest ({@link #removeChosen}). The defaults read every dead letter to find a cursor and refuse
 * to remove from the middle: a store overrides them to page in bounded memory and to support
 * selections. Thread-safe.
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

  /**
   * The cursor of {@code letter}, a string that {@link #readAfter} understands. The default is the
   * position's {@code toString}.
   */
  default String cursor(DeadLetter letter) {
    return String.valueOf(letter.position());
  }

  /**
   * Up to {@code max} of the group's dead letters that follow the one {@code cursor} names, oldest
   * first. The default reads them all and looks for the cursor; a store overrides it to read only
   * what it returns.
   *
   * @throws MqException when the cursor does not name a dead letter of the group (any more)
   */
  default List<DeadLetter> readAfter(String topic, String group, String cursor, int max) {
    List<DeadLetter> out = new ArrayList<>();
    boolean found = false;
    for (DeadLetter d : read(topic, group, Integer.MAX_VALUE)) {
      if (found && out.size() < max) {
        out.add(d);
      }
      found |= cursor(d).equals(cursor);
    }
    if (!found) {
      throw new MqException("dead-letter cursor '" + cursor + "' names no dead letter of group '" + group + "' of topic '"
          + topic + "' (it was removed, or the cursor is of another group); page again from the start");
    }
    return out;
  }

  /**
   * Removes these dead letters, as {@link #read} or {@link #readAfter} returned them (in order, not
   * necessarily the oldest): the others stay. Idempotent. The default refuses: the engine only
   * calls it when a selection skipped older dead letters.
   */
  default void removeChosen(String topic, String group, List<DeadLetter> letters) {
    throw new MqException("this adapter's dead-letter store cannot remove chosen dead letters of group '"
        + group + "': replay or purge the oldest ones, or all");
  }

  /**
   * A cursor that holds a number (an offset, a sequence), for stores whose cursor is one.
   *
   * @throws MqException naming the cursor when it is not a number of 0 or more
   */
  static long numericCursor(String cursor, String topic, String group) {
    try {
      long n = Long.parseLong(cursor);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw badCursor(cursor, topic, group);
  }

  /** The error for a cursor that is not of the form this store's cursors have. */
  static MqException badCursor(String cursor, String topic, String group) {
    return new MqException("dead-letter cursor '" + cursor + "' is not one of group '" + group + "' of topic '" + topic
        + "'; pass a cursor a page of these dead letters gave, or none to start from the oldest");
  }

  /** Removes every dead letter of the group; returns how many there were. */
  long purge(String topic, String group);

  /**
   * One dead letter: the message, and where the store holds it (an offset, a stream entry id, a
   * row; opaque to the engine, for {@link #remove}).
   */
  record DeadLetter(Message message, Object position) {}
}
