package io.unimq.api;

/**
 * A send failed after its retries. {@link #outcomeUnknown()} tells whether the broker may still
 * hold the message (timeout, connection dropped after the write): in that case a retry with the
 * same message id is safe, since consumers deduplicate by id.
 */
public class MqSendException extends MqException {
  private static final long serialVersionUID = 1L;
  private final boolean outcomeUnknown;

  public MqSendException(String message, boolean outcomeUnknown, Throwable cause) {
    super(message + (outcomeUnknown ? " (outcome unknown: the broker may hold the message)" : ""), cause);
    this.outcomeUnknown = outcomeUnknown;
  }

  public boolean outcomeUnknown() {
    return outcomeUnknown;
  }
}
