package io.unimq.api;

/** The broker could not be reached or the connection broke. The cause holds the client's error. */
public class MqConnectionException extends MqException {
  private static final long serialVersionUID = 1L;

  public MqConnectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
