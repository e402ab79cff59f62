package io.unimq.api;

/**
 * The broker authenticated the client but refused an operation on a resource (a topic, group, queue,
 * exchange or vhost) for lack of permission. The message names the resource and the operation.
 * Retrying does not help until an operator grants the permission.
 */
public class MqAuthorizationException extends MqException {
  private static final long serialVersionUID = 1L;

  public MqAuthorizationException(String message, Throwable cause) {
    super(message, cause);
  }
}
