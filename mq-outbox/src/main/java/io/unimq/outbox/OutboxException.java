package io.unimq.outbox;

import io.unimq.api.MqException;

/** A database operation of the outbox or of the JDBC idempotency store failed. The cause holds the {@link java.sql.SQLException}. */
public class OutboxException extends MqException {
  private static final long serialVersionUID = 1L;

  public OutboxException(String message, Throwable cause) {
    super(message, cause);
  }
}
