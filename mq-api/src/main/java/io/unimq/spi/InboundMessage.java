package io.unimq.spi;

import io.unimq.api.Capability;
import io.unimq.api.Message;
import io.unimq.api.MqUnsupportedException;
import java.time.Duration;

/**
 * One fetched delivery, settled exactly once by the engine with one of {@link #ack()},
 * {@link #retryLater}, {@link #deadLetter} or {@link #release()}. Thread-safe.
 */
public interface InboundMessage {
  /** The message as published, with any {@code unimq-} headers the engine added on retries. */
  Message message();

  /**
   * The delivery attempt, 1-based. The default reads the engine's {@code unimq-attempt} header;
   * adapters with a native redelivery count (RocketMQ) override this.
   */
  default int attempt() {
    String a = message().header(Headers.ATTEMPT);
    return a == null ? 1 : Integer.parseInt(a);
  }

  /**
   * Whether a {@link #retryLater} redelivery carries {@code next}'s headers. Adapters whose retry is
   * the broker's native redelivery of the original message (RocketMQ) return false: the engine then
   * keeps the first-failure time itself, in this process, and the attempt comes from
   * {@link #attempt()}. Default: true.
   */
  default boolean retryCarriesHeaders() {
    return true;
  }

  /** Acknowledges: the group will not see this delivery again. */
  void ack();

  /**
   * Durable, non-blocking retry: make {@code next} (the same id, with updated {@code unimq-} headers)
   * visible again to this group only, no earlier than {@code delay} from now, then ack this one.
   * Nothing else of the group waits for it. Called only when the transport offers a
   * {@link Transport#deadLetterStore()}; the default throws.
   */
  default void retryLater(Message next, Duration delay) {
    throw new MqUnsupportedException(Capability.DEAD_LETTER, "this");
  }

  /**
   * Moves {@code dead} (carrying the failure headers) to the group's dead letters, then acks this
   * one. Called only when the transport offers a {@link Transport#deadLetterStore()}; the default
   * throws.
   */
  default void deadLetter(Message dead) {
    throw new MqUnsupportedException(Capability.DEAD_LETTER, "this");
  }

  /** Gives the message back unacked so it is redelivered (on close, or when not run). */
  void release();

  /**
   * The broker has taken this delivery back (Kafka: its partition went to another member): the
   * engine then drops it without running the handler, and another consumer receives it. Checked
   * just before the handler runs. Thread-safe.
   */
  default boolean revoked() {
    return false;
  }
}
