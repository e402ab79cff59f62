package io.unimq.redis.internal;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.unimq.api.MqAuthenticationException;
import io.unimq.api.MqAuthorizationException;
import io.unimq.api.MqConnectionException;
import io.unimq.api.MqException;
import io.unimq.api.MqSendException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Vendor exceptions in, typed out: the one place that maps Lettuce's exceptions to
 * {@link MqException} subtypes. An unreachable server, a lost connection or a command timeout is an
 * {@link MqConnectionException}; an error reply of the server is an {@link MqException}. Stateless.
 */
final class RedisErrors {
  private RedisErrors() {}

  /**
   * {@code cause}, thrown while trying to {@code what} ("use Redis at host:6379/0"), as an
   * {@link MqException}; a {@link CompletionException} or {@link ExecutionException} is unwrapped.
   */
  static MqException translate(Throwable cause, String what) {
    Throwable c = (cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null
        ? cause.getCause() : cause;
    if (c instanceof MqException m) {
      return m;
    }
    MqAuthorizationException denied = noPermission(c, what);
    if (denied != null) {
      return denied;
    }
    boolean io = false;
    for (Throwable x = c; x != null && !io; x = x.getCause()) {
      io = x instanceof IOException;
    }
    if (io || c instanceof RedisConnectionException || c instanceof RedisCommandTimeoutException || c instanceof TimeoutException
        || passing(c)) {
      return unavailable(what, c);
    }
    return new MqException("cannot " + what + ": Redis failed: " + c.getMessage(), c);
  }

  /**
   * An error reply that passes once a Redis Cluster has settled: CLUSTERDOWN (a master failed and no
   * replica has taken its slots over yet), TRYAGAIN, or a redirect Lettuce could not follow
   * (MOVED/ASK while the topology changes). What failed with it is tried again like a lost connection.
   */
  static boolean passing(Throwable cause) {
    String m = cause == null ? null : cause.getMessage();
    return m != null && (m.startsWith("CLUSTERDOWN") || m.startsWith("TRYAGAIN") || m.startsWith("MOVED ") || m.startsWith("ASK "));
  }

  /**
   * An ACL refusal ({@code NOPERM}) in {@code cause}'s chain as an {@link MqAuthorizationException}
   * naming the operation and what the server refused (the command, or the key), else null.
   */
  static MqAuthorizationException noPermission(Throwable cause, String what) {
    for (Throwable x = cause; x != null; x = x.getCause()) {
      String m = x.getMessage();
      if (m != null && m.startsWith("NOPERM")) {
        return new MqAuthorizationException("cannot " + what + ": the Redis ACL refused it (" + m + "); an operator grants"
            + " the user the command and unimq's keys (unimq:*) with ACL SETUSER", cause);
      }
    }
    return null;
  }

  /**
   * Why connecting to {@code s} failed, typed: refused credentials ({@link MqAuthenticationException}
   * naming the user), a TLS problem or an unreachable server ({@link MqConnectionException} saying
   * which). Never includes the password.
   */
  static MqException connectFailure(RedisSettings s, Throwable cause) {
    String broker = "Redis at " + s.describe();
    String user = s.user() == null ? "default" : s.user();
    for (Throwable x = cause; x != null; x = x.getCause()) {
      String m = String.valueOf(x.getMessage());
      if (m.startsWith("WRONGPASS") || m.contains("invalid username-password pair") || m.contains("invalid password")) {
        return new MqAuthenticationException(broker + " refused user '" + user + "': wrong password, unknown or disabled user ("
            + m + "); check the URI's user info or the user and password parameters", cause);
      }
      if (m.startsWith("NOAUTH")) {
        return new MqAuthenticationException(broker + " requires authentication (" + m + "); give the user and password in the"
            + " URI's user info (rediss://user:password@host) or the user and password parameters", cause);
      }
    }
    MqAuthorizationException denied = noPermission(cause, "connect to " + broker + " as '" + user + "'");
    if (denied != null) {
      return denied;
    }
    if (s.tls().enabled()) {
      String tls = s.tls().describeFailure(cause);
      if (tls != null) {
        String m = "cannot connect to " + broker + ": " + tls;
        return io.unimq.spi.TlsSettings.clientCertificateRefused(cause) ? new MqAuthenticationException(m, cause)
            : new MqConnectionException(m, cause);
      }
    }
    String hint = s.redisUri().isSsl() ? "" : "; if that port expects TLS, use rediss:// or tls=true";
    return new MqConnectionException("cannot connect to " + broker + ": Redis unreachable: " + cause.getMessage() + hint, cause);
  }

  /** {@code cause} as an {@link MqConnectionException}: Redis could not be reached to {@code what}. */
  static MqConnectionException unavailable(String what, Throwable cause) {
    return new MqConnectionException("cannot " + what + ": Redis unreachable: " + cause.getMessage(), cause);
  }

  /**
   * The failure of sends written on the master that fewer than {@code wanted} replicas acknowledged
   * within {@code millis} (WAIT): the master holds them, a failover may lose them.
   */
  static MqSendException notReplicated(String what, long acks, int wanted, long millis) {
    return new MqSendException(what + " written on the Redis master acknowledged by " + acks + " replica(s) within " + millis
        + " ms, fewer than " + RedisSettings.REPLICA_ACKS + "=" + wanted + ": lost if the master fails now; check that the"
        + " replicas are up and linked (INFO replication), raise " + RedisSettings.REPLICA_ACK_TIMEOUT + ", or set "
        + RedisSettings.REPLICA_ACKS + "=0 to confirm without replicas", true, null);
  }

  /**
   * The failure of sends whose connection to the master was lost, or whose slot moved to another
   * master, before the replicas acknowledged them: a WAIT elsewhere would not cover them, so whether
   * the new master has them is unknown (the engine sends them again with the same id).
   */
  static MqSendException masterChanged(String what, String detail) {
    return new MqSendException(what + " written on the Redis master not acknowledged by its replicas before " + detail
        + ": outcome unknown (the master that took them may have failed over without them)", true, null);
  }
}
