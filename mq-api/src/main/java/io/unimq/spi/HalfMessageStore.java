package io.unimq.spi;

import io.unimq.api.Message;
import java.time.Instant;
import java.util.List;

/**
 * Durable storage of emulated half messages, shared by every producer of a producer group (in
 * every process). The engine does the rest: local transaction, commit by publishing, check-back
 * sweeps. Thread-safe.
 */
public interface HalfMessageStore {
  /** Stores durably; the message stays invisible to consumers. Check-back is due at {@code checkAt}. */
  void put(String producerGroup, Message half, Instant checkAt);

  /** Removes it; true if this call removed it (so only one remover publishes a commit). */
  boolean remove(String producerGroup, String messageId);

  /**
   * Claims up to {@code max} half messages of the group whose check time has passed, moving their
   * check time to {@code nextCheckAt} so that another sweeper does not take them at once.
   */
  List<Message> claimDue(String producerGroup, Instant now, Instant nextCheckAt, int max);
}
