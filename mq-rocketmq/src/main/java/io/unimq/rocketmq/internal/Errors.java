package io.unimq.rocketmq.internal;

import io.unimq.api.MqConnectionException;
import io.unimq.api.MqException;
import io.unimq.api.MqInvalidMessageException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.rocketmq.client.apis.ClientException;

/** Vendor exceptions to unimq's: never leaked as the type, kept as the cause. */
final class Errors {
  private Errors() {}

  static MqException wrap(String what, Throwable t) {
    Throwable cause = unwrap(t);
    if (cause instanceof MqException) {
      return (MqException) cause;
    }
    if (cause instanceof org.apache.rocketmq.client.java.exception.BadRequestException
        || cause instanceof org.apache.rocketmq.client.java.exception.PayloadTooLargeException) {
      return new MqInvalidMessageException(what + ": the broker refused it: " + cause.getMessage());
    }
    String detail = cause instanceof ClientException ? cause.getMessage() : cause.toString();
    return new MqConnectionException(what + ": " + detail, cause);
  }

  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
