package io.unimq.api;

/**
 * The connection URI or an option is wrong: unknown scheme (the message names the artifact to add),
 * malformed URI, unknown or ill-typed parameter, or two providers claiming one scheme.
 */
public class MqConfigurationException extends MqException {
  private static final long serialVersionUID = 1L;

  public MqConfigurationException(String message) {
    super(message);
  }

  public MqConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
