package io.unimq.api.internal;

import io.unimq.api.Message;
import io.unimq.spi.Headers;

/**
 * Builds what goes to a group's dead letters: the message as published, without the engine's retry
 * headers, with the failure headers ({@code unimq-dlq-*}) added and no due time. Stateless.
 */
final class DeadLetterEnvelope {
  /** The longest exception message kept in {@link Headers#DLQ_EXCEPTION_MESSAGE}, in characters. */
  static final int MAX_EXCEPTION_MESSAGE = 1000;

  private DeadLetterEnvelope() {}

  /**
   * The envelope of {@code message}, consumed by {@code group} from {@code topic}, that failed
   * {@code attempts} deliveries between {@code firstFailure} and {@code lastFailure} (epoch millis),
   * the last one with {@code error}.
   */
  static Message of(Message message, String topic, String group, int attempts, long firstFailure, long lastFailure,
      Throwable error) {
    String text = error.getMessage() == null ? "" : error.getMessage();
    if (text.length() > MAX_EXCEPTION_MESSAGE) {
      text = text.substring(0, MAX_EXCEPTION_MESSAGE);
    }
    return message.toBuilder()
        .removeHeader(Headers.ATTEMPT).removeHeader(Headers.FIRST_FAILURE)
        .header(Headers.DLQ_ORIGINAL_TOPIC, topic)
        .header(Headers.DLQ_GROUP, group)
        .header(Headers.DLQ_ATTEMPTS, Integer.toString(attempts))
        .header(Headers.DLQ_FIRST_FAILURE, Long.toString(firstFailure))
        .header(Headers.DLQ_LAST_FAILURE, Long.toString(lastFailure))
        .header(Headers.DLQ_EXCEPTION, error.getClass().getName())
        .header(Headers.DLQ_EXCEPTION_MESSAGE, text)
        .deliverAt(null).build();
  }
}
