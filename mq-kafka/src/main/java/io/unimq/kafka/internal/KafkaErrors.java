package io.unimq.kafka.internal;

import io.unimq.api.MqConnectionException;
import io.unimq.api.MqException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;

/** Kafka client exceptions into the unimq hierarchy (the Kafka exception kept as the cause). */
final class KafkaErrors {
  private KafkaErrors() {}

  static <T> T get(Future<T> f, String what) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw wrap("cannot " + what, e);
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
      throw wrap("cannot " + what, e);
    } catch (InterruptedException e) {
      throw interrupted(e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new MqConnectionException("cannot " + what + ": no acknowledgement from Kafka within " + timeout
          + " (is the cluster reachable?)", e);
    }
  }

  static MqException wrap(String what, Throwable e) {
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof MqException m) {
      return m;
    }
    if (cause instanceof TimeoutException || cause instanceof RetriableException) {
      return new MqConnectionException(what + ": " + cause, cause);
    }
    return new MqException(what + ": " + cause, cause);
  }

  static MqException interrupted(InterruptedException e) {
    Thread.currentThread().interrupt();
    return new MqException("interrupted", e);
  }
}
