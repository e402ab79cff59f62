package io.unimq.api.internal;

import io.unimq.api.Health;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * What a client saw of its broker: whether the last fetch or send succeeded, and the last failure.
 * Thread-safe; a success costs a volatile read.
 */
final class EngineHealth {
  /** {@code user:password@} after a URI scheme. */
  private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@\\s]*@");

  private volatile boolean failing;
  private volatile Health.LastError lastError;

  /** A broker operation succeeded. */
  void succeeded() {
    if (failing) {
      failing = false;
    }
  }

  /** A broker operation failed with {@code error}. */
  void failed(Throwable error) {
    lastError = new Health.LastError(error.getClass().getName(), mask(String.valueOf(error.getMessage())), Instant.now());
    failing = true;
  }

  boolean failing() {
    return failing;
  }

  Health.LastError lastError() {
    return lastError;
  }

  static String mask(String text) {
    return USER_INFO.matcher(text).replaceAll("***@");
  }
}
