package io.unimq.spi;

import io.unimq.api.Message;
import java.util.List;

/**
 * The transport side of {@link io.unimq.api.DeadLetters}. Replay sends each dead message, with
 * {@link Headers#stripForReplay} applied, back to the group only. Thread-safe.
 */
public interface DeadLetterStore {
  long count();

  List<Message> peek(int max);

  long replay();

  long purge();
}
