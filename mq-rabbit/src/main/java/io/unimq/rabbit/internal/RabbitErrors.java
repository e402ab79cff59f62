package io.unimq.rabbit.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import io.unimq.api.MqAuthenticationException;
import io.unimq.api.MqAuthorizationException;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.MqConnectionException;
import io.unimq.api.MqException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vendor exceptions in, typed out: the one place that maps the AMQP client's exceptions to
 * {@link MqException} subtypes. A channel closed by the broker for a soft error (404, 406, ...) is an
 * {@link MqException} naming the reply, except a queue that exists with another type ({@code
 * x-queue-type}), an {@link MqConfigurationException} saying how to migrate; anything else (I/O, timeouts, a lost connection) is an
 * {@link MqConnectionException}. Stateless.
 */
final class RabbitErrors {
  private static final Logger log = LoggerFactory.getLogger(RabbitErrors.class);
  private static final Pattern QUEUE_TYPE_CLASH = Pattern.compile(
      "inequivalent arg 'x-queue-type' for queue '(.*)' in vhost '(.*)': received (?:the value '(\\w+)'[^:]*|none) but current is"
      + " (?:the value '(\\w+)'|none)");

  private RabbitErrors() {}

  /** A call to the AMQP client that can fail with its checked exceptions. */
  interface IoCall<T> {
    T call() throws IOException, TimeoutException;
  }

  /** An {@link IoCall} without a result. */
  interface IoRun {
    void run() throws IOException, TimeoutException;
  }

  /** {@code cause}, thrown while trying to {@code what} ("declare topic t"), as an {@link MqException}. */
  static MqException translate(Throwable cause, String what) {
    if (cause instanceof MqException mq) {
      return mq;
    }
    ShutdownSignalException sse = cause instanceof ShutdownSignalException s ? s
        : cause.getCause() instanceof ShutdownSignalException s2 ? s2 : null;
    if (sse != null && !sse.isHardError() && !sse.isInitiatedByApplication() && sse.getReason() instanceof AMQP.Channel.Close close) {
      Matcher clash = QUEUE_TYPE_CLASH.matcher(close.getReplyText());
      if (close.getReplyCode() == AMQP.PRECONDITION_FAILED && clash.find()) {
        return queueTypeClash(clash, what, cause);
      }
      if (close.getReplyCode() == AMQP.ACCESS_REFUSED) {
        return new MqAuthorizationException("cannot " + what + ": RabbitMQ refused with " + close.getReplyCode() + " "
            + close.getReplyText() + " (the user lacks a configure, write or read permission on it; an operator grants"
            + " it with rabbitmqctl set_permissions)", cause);
      }
      return new MqException("cannot " + what + ": RabbitMQ refused with " + close.getReplyCode() + " " + close.getReplyText(), cause);
    }
    return unavailable(what, cause);
  }

  /** A queue that exists with another type than the one declared: how to keep it, or how to migrate. */
  private static MqConfigurationException queueTypeClash(Matcher clash, String what, Throwable cause) {
    String queue = clash.group(1);
    String wanted = clash.group(3) == null ? "classic" : clash.group(3);
    String existing = clash.group(4) == null ? "classic" : clash.group(4);
    return new MqConfigurationException("cannot " + what + ": queue '" + queue + "' in vhost '" + clash.group(2) + "' exists as a "
        + existing + " queue and this client declares " + wanted + " queues (parameter queueType; quorum is the default on a"
        + " cluster). RabbitMQ cannot change a queue's type and unimq never deletes a queue to re-declare it. Either keep "
        + existing + " queues with queueType=" + existing + ", or migrate: stop the clients that use it, let it drain (or move"
        + " its messages, e.g. with a shovel), delete it (for a group, every queue of the group: unimq.<topic>.<group>, its .p<i>"
        + " partitions and its .dlq), then connect with queueType=" + wanted + ", which declares them again", cause);
  }

  /** {@code cause} as an {@link MqConnectionException}: the broker could not be reached to {@code what}. */
  static MqConnectionException unavailable(String what, Throwable cause) {
    return new MqConnectionException("cannot " + what + ": " + reason(cause), cause);
  }

  /**
   * Why opening a connection to {@code s} failed, typed: refused credentials
   * ({@link MqAuthenticationException}), no access to the vhost ({@link MqAuthorizationException}), a TLS
   * problem or an unreachable broker ({@link MqConnectionException} saying which). Names the user and
   * the broker, never the password.
   */
  static MqException connectFailure(RabbitSettings s, Throwable e) {
    String broker = "RabbitMQ at " + (s.tls().enabled() ? "amqps://" : "amqp://") + s.address();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PossibleAuthenticationFailureException) {
        return new MqAuthenticationException(broker + " refused user '" + s.user() + "': wrong password or unknown user ("
            + t.getMessage() + "); check the URI's user info or the user and password parameters", e);
      }
      if (t instanceof ShutdownSignalException sse && sse.getReason() instanceof AMQP.Connection.Close close) {
        if (close.getReplyCode() == AMQP.NOT_ALLOWED || close.getReplyCode() == AMQP.ACCESS_REFUSED) {
          return new MqAuthorizationException(broker + " refused user '" + s.user() + "' access to vhost '" + s.vhost()
              + "' (open a connection): " + close.getReplyText() + "; an operator grants it with rabbitmqctl set_permissions -p "
              + s.vhost() + " " + s.user() + " ...", e);
        }
      }
    }
    if (s.tls().enabled()) {
      String tls = s.tls().describeFailure(e);
      if (tls != null) {
        String m = "cannot connect to " + broker + " as '" + s.user() + "': " + tls;
        return io.unimq.spi.TlsSettings.clientCertificateRefused(e) ? new MqAuthenticationException(m, e)
            : new MqConnectionException(m, e);
      }
    }
    String hint = s.tls().enabled() ? "" : "; if that port expects TLS (AMQPS, usually 5671), use amqps:// or tls=true";
    return new MqConnectionException("cannot connect to " + broker + " as '" + s.user() + "': " + reason(e) + hint, e);
  }

  /** Runs {@code c}, translating what the client throws. */
  static <T> T call(String what, IoCall<T> c) {
    try {
      return c.call();
    } catch (IOException | TimeoutException | ShutdownSignalException e) {
      throw translate(e, what);
    }
  }

  /** Runs {@code r}, translating what the client throws. */
  static void io(String what, IoRun r) {
    call(what, () -> {
      r.run();
      return null;
    });
  }

  /** Whether a passive declaration failed because the object does not exist (404). */
  static boolean isNotFound(IOException e) {
    return e.getCause() instanceof ShutdownSignalException s && s.getReason() instanceof AMQP.Channel.Close c && c.getReplyCode() == 404;
  }

  /** Closes a channel or connection (a connection waits up to 5 s); a failure is logged at debug level. */
  static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      if (c instanceof Channel ch && !ch.isOpen()) {
        return;
      }
      if (c instanceof Connection conn) {
        conn.close(5000);
      } else {
        c.close();
      }
    } catch (Exception e) {
      log.debug("close failed: {}", e.toString());
    }
  }

  private static String reason(Throwable e) {
    if (e.getMessage() != null) {
      return e.getMessage();
    }
    return e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getClass().getSimpleName();
  }
}
