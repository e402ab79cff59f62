package io.unimq.api;

/**
 * A message or a name was rejected before it reached the network: null topic or body, illegal
 * name, reserved header, or a message larger than the broker's declared maximum.
 */
public class MqInvalidMessageException extends MqException {
  private static final long serialVersionUID = 1L;

  public MqInvalidMessageException(String message) {
    super(message);
  }
}
