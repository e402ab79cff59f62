package io.unimq.api;

/**
 * The broker refused the credentials: unknown user, wrong password or secret key, or a client
 * certificate it does not accept. The message names the user and the broker, never the secret.
 * Retrying with the same credentials does not help.
 */
public class MqAuthenticationException extends MqConnectionException {
  private static final long serialVersionUID = 1L;

  public MqAuthenticationException(String message, Throwable cause) {
    super(message, cause);
  }
}
