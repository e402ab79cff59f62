package io.unimq.redis.internal;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.unimq.api.MqConnectionException;
import io.unimq.api.MqException;
import io.unimq.api.MqSendException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Vendor exceptions in, typed out: the one place that maps Lettuce's exceptions to
 * {@link MqException} subtypes. An unreachable server, a lost connection or a command timeout is an
 * {@link MqConnectionException}; an error reply of the server is an {@link MqException}. Stateless.
 */
final class RedisErrors {
  private RedisErrors() {}

  /**
   * {@code cause}, thrown while trying to {@code what} ("use Redis at host:6379/0"), as an
   * {@link MqException}; a {@link CompletionException} or {@link ExecutionException} is unwrapped.
   */
  static MqException translate(Throwable cause, String what) {
    Throwable c = (cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null
        ? cause.getCause() : cause;
    if (c instanceof MqException m) {
      return m;
    }
    boolean io = false;
    for (Throwable x = c; x != null && !io; x = x.getCause()) {
      io = x instanceof IOException;
    }
    if (io || c instanceof RedisConnectionException || c instanceof RedisCommandTimeoutException || c instanceof TimeoutException) {
      return unavailable(what, c);
    }
    return new MqException("cannot " + what + ": Redis failed: " + c.getMessage(), c);
  }

  /** {@code cause} as an {@link MqConnectionException}: Redis could not be reached to {@code what}. */
  static MqConnectionException unavailable(String what, Throwable cause) {
    return new MqConnectionException("cannot " + what + ": Redis unreachable: " + cause.getMessage(), cause);
  }

  /**
   * The failure of sends written on the master that fewer than {@code wanted} replicas acknowledged
   * within {@code millis} (WAIT): the master holds them, a failover may lose them.
   */
  static MqSendException notReplicated(String what, long acks, int wanted, long millis) {
    return new MqSendException(what + " written on the Redis master acknowledged by " + acks + " replica(s) within " + millis
        + " ms, fewer than " + RedisSettings.REPLICA_ACKS + "=" + wanted + ": lost if the master fails now; check that the"
        + " replicas are up and linked (INFO replication), raise " + RedisSettings.REPLICA_ACK_TIMEOUT + ", or set "
        + RedisSettings.REPLICA_ACKS + "=0 to confirm without replicas", true, null);
  }
}
