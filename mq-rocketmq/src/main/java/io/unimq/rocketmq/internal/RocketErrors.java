package io.unimq.rocketmq.internal;

import io.unimq.api.MqConnectionException;
import io.unimq.api.MqException;
import io.unimq.api.MqInvalidMessageException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.rocketmq.client.apis.ClientException;

/** RocketMQ client exceptions into the unimq hierarchy: never leaked as the type, kept as the cause. */
final class RocketErrors {
  private RocketErrors() {}

  /**
   * {@code t} (a RocketMQ client exception, possibly inside a {@link CompletionException} or
   * {@link ExecutionException}) as an {@link MqException} whose message starts with {@code what}:
   * {@link MqInvalidMessageException} when the broker refused the message, {@code MqAuthenticationException} or
   * {@code MqAuthorizationException} when ACL refused the credentials or the action, otherwise
   * {@link MqConnectionException}; the cause itself when it already is an {@link MqException}.
   */
  static MqException translate(Throwable t, String what) {
    Throwable cause = unwrap(t);
    if (cause instanceof MqException) {
      return (MqException) cause;
    }
    MqException denied = RocketSecurity.authError(cause, what.replaceFirst("^(could not |cannot )", ""), null);
    if (denied != null) {
      return denied;
    }
    if (cause instanceof org.apache.rocketmq.client.java.exception.BadRequestException
        || cause instanceof org.apache.rocketmq.client.java.exception.PayloadTooLargeException) {
      return new MqInvalidMessageException(what + ": the broker refused it: " + cause.getMessage());
    }
    String detail = cause instanceof ClientException ? cause.getMessage() : cause.toString();
    return new MqConnectionException(what + ": " + detail, cause);
  }

  /** The thread was interrupted while trying to {@code what}: the flag is set again. */
  static MqConnectionException interrupted(InterruptedException e, String what) {
    Thread.currentThread().interrupt();
    return new MqConnectionException("interrupted while trying to " + what, e);
  }

  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
