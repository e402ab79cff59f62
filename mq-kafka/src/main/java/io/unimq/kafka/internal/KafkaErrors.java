package io.unimq.kafka.internal;

import io.unimq.api.MqConnectionException;
import io.unimq.api.MqException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;

/** Kafka client exceptions into the unimq hierarchy (the Kafka exception kept as the cause). */
final class KafkaErrors {
  private KafkaErrors() {}

  static <T> T get(Future<T> f, String what) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw translate(e, "cannot " + what);
    } catch (InterruptedException e) {
      throw interrupted(e);
    }
  }

  /**
   * As {@link #get(Future, String)}, failing with {@link MqConnectionException} after {@code timeout}
   * (the future is left running: a send may still land, as any timed-out send may).
   */
  static <T> T get(Future<T> f, String what, Duration timeout) {
    try {
      return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw translate(e, "cannot " + what);
    } catch (InterruptedException e) {
      throw interrupted(e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new MqConnectionException("cannot " + what + ": no acknowledgement from Kafka within " + timeout
          + " (is the cluster reachable?)", e);
    }
  }

  /**
   * {@code cause} (a Kafka client exception, possibly inside an {@link ExecutionException}) as an
   * {@link MqException} whose message starts with {@code what}: {@link MqConnectionException} for
   * timeouts and retriable errors, the cause itself when it already is one.
   */
  static MqException translate(Throwable cause, String what) {
    Throwable c = cause instanceof ExecutionException && cause.getCause() != null ? cause.getCause() : cause;
    if (c instanceof MqException m) {
      return m;
    }
    if (c instanceof TimeoutException || c instanceof RetriableException) {
      return new MqConnectionException(what + ": " + c, c);
    }
    return new MqException(what + ": " + c, c);
  }

  /** The Kafka client for {@code bootstrap} could not be created (a client setting it refuses). */
  static MqConnectionException clientFailed(String bootstrap, KafkaException cause) {
    return new MqConnectionException("cannot create a Kafka client for " + bootstrap + ": " + cause.getMessage(), cause);
  }

  /** The cluster at {@code bootstrap} did not answer within {@code timeout} (the core {@code connectTimeout}). */
  static MqConnectionException unreachable(String bootstrap, Duration timeout, Throwable cause) {
    return new MqConnectionException("cannot reach Kafka at " + bootstrap + " within " + timeout.toMillis() + " ms: " + cause, cause);
  }

  static MqException interrupted(InterruptedException e) {
    Thread.currentThread().interrupt();
    return new MqException("interrupted", e);
  }
}
