package io.unimq.api.internal;

import io.unimq.api.MqException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** Blocking waits that surface {@link MqException}s as themselves. */
final class Futures {
  private Futures() {}

  static <T> T join(CompletionStage<T> stage, String what) {
    try {
      return stage.toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MqException("interrupted while waiting for " + what, e);
    } catch (ExecutionException | CompletionException e) {
      throw unwrap(e.getCause(), what);
    }
  }

  /** The {@link MqException} to throw for {@code cause}. */
  static MqException unwrap(Throwable cause, String what) {
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof MqException) {
      return (MqException) cause;
    }
    return new MqException(what + " failed: " + cause, cause);
  }
}
