package io.unimq.api;

/**
 * Root of every exception unimq throws. Unchecked; a broker client's own exception is kept as the
 * {@linkplain #getCause() cause}, never leaked as the type.
 */
public class MqException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MqException(String message) {
    super(message);
  }

  public MqException(String message, Throwable cause) {
    super(message, cause);
  }
}
