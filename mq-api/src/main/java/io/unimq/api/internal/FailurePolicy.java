package io.unimq.api.internal;

import io.unimq.api.AckMode;
import io.unimq.api.Idempotent;
import io.unimq.api.Message;
import io.unimq.api.RetryPolicy;
import io.unimq.api.SubscriptionOptions;
import io.unimq.spi.Headers;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * What becomes of a delivery once its handler has returned or thrown: a pure function of the
 * delivery (message, attempt, first-failure time), the handler's outcome, the subscription's options
 * and the clock. It touches no transport, thread or log; the subscription carries the decision out.
 * Immutable, thread-safe.
 *
 * <ul>
 *   <li>handled: {@link Kind#ACK} in {@link AckMode#AUTO}, {@link Kind#LEAVE} in {@link AckMode#MANUAL}
 *       (the handler acks, or the message comes back);
 *   <li>failed, and the retry policy grants another attempt: {@link Kind#RETRY_IN_PLACE} for a keyed
 *       message of an ordered subscription (it keeps its key's turn), otherwise {@link Kind#RETRY_LATER}
 *       with the next delivery's message (same id, {@code unimq-attempt} and {@code unimq-first-failure}
 *       set, no due time);
 *   <li>failed for the last time: {@link Kind#DEAD_LETTER} with the {@link DeadLetterEnvelope} when
 *       the subscription keeps dead letters, otherwise {@link Kind#DROP};
 *   <li>met a key another delivery holds ({@link Idempotent.DuplicateInProgressException}): not a
 *       failure, whatever the retry policy says. The delivery comes back once the holder's lease has
 *       ended ({@link Idempotent.DuplicateInProgressException#retryAfter()}), as a retry that does
 *       not count as an attempt ({@code counted} false; the next delivery has the same attempt).
 * </ul>
 */
final class FailurePolicy {
  /** What to do with a delivery. */
  enum Kind { ACK, LEAVE, RETRY_LATER, RETRY_IN_PLACE, DEAD_LETTER, DROP }

  /**
   * A decision: {@code delay} before the next attempt (retries only), {@code message} to send on
   * (the next delivery for {@link Kind#RETRY_LATER}, the envelope for {@link Kind#DEAD_LETTER}), and
   * the first-failure time (epoch millis; 0 when nothing failed), and whether a retry counts as an
   * attempt (false while waiting for another delivery's idempotency lease).
   */
  record Decision(Kind kind, Duration delay, Message message, long firstFailure, boolean counted) {
    Decision(Kind kind, Duration delay, Message message, long firstFailure) {
      this(kind, delay, message, firstFailure, true);
    }
  }

  private static final Decision ACK = new Decision(Kind.ACK, null, null, 0);
  private static final Decision LEAVE = new Decision(Kind.LEAVE, null, null, 0);

  private final String topic;
  private final String group;
  private final RetryPolicy retry;
  private final boolean ordered;
  private final boolean deadLetter;
  private final Decision handled;
  private final LongSupplier clock;

  /** For deliveries of {@code topic} to {@code group} under {@code options}; {@code clock} gives epoch millis. */
  FailurePolicy(String topic, String group, SubscriptionOptions options, LongSupplier clock) {
    this.topic = topic;
    this.group = group;
    this.retry = options.retryPolicy();
    this.ordered = options.ordered();
    this.deadLetter = options.deadLetter();
    this.handled = options.ackMode() == AckMode.AUTO ? ACK : LEAVE;
    this.clock = clock;
  }

  /**
   * The decision for delivery {@code attempt} (1-based) of {@code message}, whose handler threw
   * {@code error} (null: it returned normally). {@code firstFailure} is when an earlier attempt first
   * failed (epoch millis), or 0. A handled delivery's decision is a shared constant (no allocation).
   */
  Decision decide(Message message, int attempt, Throwable error, long firstFailure) {
    if (error == null) {
      return handled;
    }
    if (error instanceof Idempotent.DuplicateInProgressException busy) {
      Duration delay = busy.retryAfter();
      if (ordered && message.key() != null) {
        return new Decision(Kind.RETRY_IN_PLACE, delay, null, firstFailure, false);
      }
      return new Decision(Kind.RETRY_LATER, delay, message.toBuilder().deliverAt(null).build(), firstFailure, false);
    }
    long now = clock.getAsLong();
    long first = firstFailure == 0 ? now : firstFailure;
    if (retry.shouldRetry(attempt, error)) {
      Duration delay = retry.backoff(attempt);
      if (ordered && message.key() != null) {
        return new Decision(Kind.RETRY_IN_PLACE, delay, null, first);
      }
      Message next = message.toBuilder()
          .header(Headers.ATTEMPT, Integer.toString(attempt + 1))
          .header(Headers.FIRST_FAILURE, Long.toString(first))
          .deliverAt(null).build();
      return new Decision(Kind.RETRY_LATER, delay, next, first);
    }
    if (deadLetter) {
      return new Decision(Kind.DEAD_LETTER, null, DeadLetterEnvelope.of(message, topic, group, attempt, first, now, error), first);
    }
    return new Decision(Kind.DROP, null, null, first);
  }
}
