package io.unimq.api;

/** A client, producer or subscription was used after {@code close()}. */
public class MqClosedException extends MqException {
  private static final long serialVersionUID = 1L;

  public MqClosedException(String message) {
    super(message);
  }
}
