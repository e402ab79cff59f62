package io.unimq.rabbit.internal;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.impl.DefaultExceptionHandler;
import io.unimq.api.MqAuthenticationException;
import io.unimq.api.MqAuthorizationException;
import io.unimq.api.MqException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's exception handler: as the client's own, except that a reconnection the broker refuses
 * for credentials or permissions (the password was changed, the user deleted, the vhost access revoked)
 * stops the automatic recovery after one ERROR line, instead of retrying and logging every
 * {@code recoveryInterval} forever; the connection stays closed and the client's health reports it.
 * Thread-safe.
 */
final class RecoveryGuard extends DefaultExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(RecoveryGuard.class);
  private final RabbitSettings settings;

  RecoveryGuard(RabbitSettings settings) {
    this.settings = settings;
  }

  @Override
  public void handleConnectionRecoveryException(Connection conn, Throwable exception) {
    MqException typed = RabbitErrors.connectFailure(settings, exception);
    if (typed instanceof MqAuthenticationException || typed instanceof MqAuthorizationException) {
      log.error("{}; automatic recovery of connection '{}' stops (reconnecting with the same credentials cannot succeed):"
          + " connect anew once the credentials or permissions are fixed", typed.getMessage(), conn.getClientProvidedName());
      conn.abort();
      return;
    }
    super.handleConnectionRecoveryException(conn, exception);
  }
}
