package io.unimq.kafka.internal;

import io.unimq.api.MqAuthenticationException;
import io.unimq.api.MqAuthorizationException;
import io.unimq.api.MqConnectionException;
import io.unimq.api.MqException;
import io.unimq.spi.TlsSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;

/** Kafka client exceptions into the unimq hierarchy (the Kafka exception kept as the cause). */
final class KafkaErrors {
  private KafkaErrors() {}

  static <T> T get(Future<T> f, String what) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw translate(e, "cannot " + what);
    } catch (InterruptedException e) {
      throw interrupted(e);
    }
  }

  /**
   * As {@link #get(Future, String)}, failing with {@link MqConnectionException} after {@code timeout}
   * (the future is left running: a send may still land, as any timed-out send may).
   */
  static <T> T get(Future<T> f, String what, Duration timeout) {
    try {
      return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw translate(e, "cannot " + what);
    } catch (InterruptedException e) {
      throw interrupted(e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new MqConnectionException("cannot " + what + ": no acknowledgement from Kafka within " + timeout
          + " (is the cluster reachable?)", e);
    }
  }

  /**
   * {@code cause} (a Kafka client exception, possibly inside an {@link ExecutionException}) as an
   * {@link MqException} whose message starts with {@code what}: {@link MqConnectionException} for
   * timeouts and retriable errors, the cause itself when it already is one.
   */
  static MqException translate(Throwable cause, String what) {
    Throwable c = cause instanceof ExecutionException && cause.getCause() != null ? cause.getCause() : cause;
    if (c instanceof MqException m) {
      return m;
    }
    if (c instanceof AuthorizationException a) {
      return denied(a, what);
    }
    if (c instanceof SslAuthenticationException) {
      return new MqConnectionException(what + ": the TLS handshake with Kafka failed: " + tlsReason(c), c);
    }
    if (c instanceof AuthenticationException) {
      return new MqAuthenticationException(what + ": Kafka refused the login: " + c.getMessage(), c);
    }
    if (c instanceof TimeoutException || c instanceof RetriableException) {
      return new MqConnectionException(what + ": " + c, c);
    }
    return new MqException(what + ": " + c, c);
  }

  /** The Kafka client for {@code bootstrap} could not be created (a client setting it refuses). */
  static MqConnectionException clientFailed(String bootstrap, KafkaException cause) {
    return new MqConnectionException("cannot create a Kafka client for " + bootstrap + ": " + cause.getMessage(), cause);
  }

  /** The cluster at {@code bootstrap} did not answer within {@code timeout} (the core {@code connectTimeout}). */
  static MqConnectionException unreachable(String bootstrap, Duration timeout, Throwable cause) {
    return new MqConnectionException("cannot reach Kafka at " + bootstrap + " within " + timeout.toMillis() + " ms: " + cause, cause);
  }

  /**
   * A Kafka ACL refused an operation: {@link MqAuthorizationException} naming the resource (topic, group,
   * transactional id or the cluster) and the operation ({@code what}).
   */
  static MqAuthorizationException denied(AuthorizationException a, String what) {
    return denied(a, what, null);
  }

  /** As {@link #denied(AuthorizationException, String)}, naming {@code resource} (when the exception names none). */
  static MqAuthorizationException denied(AuthorizationException a, String what, String resource) {
    if (resource != null) {
      // named by the caller
    } else if (a instanceof TopicAuthorizationException t && !t.unauthorizedTopics().isEmpty()) {
      resource = "topic" + (t.unauthorizedTopics().size() == 1 ? " '" + t.unauthorizedTopics().iterator().next() + "'"
          : "s " + t.unauthorizedTopics());
    } else if (a instanceof GroupAuthorizationException g) {
      resource = "group '" + g.groupId() + "'";
    } else if (a instanceof TransactionalIdAuthorizationException) {
      resource = "the transactional id";
    } else if (a instanceof ClusterAuthorizationException) {
      resource = "the cluster";
    } else {
      resource = "a resource";
    }
    return new MqAuthorizationException(what + ": not authorized: the Kafka user lacks the ACL for " + resource
        + " (" + a.getClass().getSimpleName() + ": " + a.getMessage() + "); an operator grants it with kafka-acls", a);
  }

  /**
   * Connecting failed for lack of a login: {@link MqAuthenticationException} naming the user and the
   * cluster (never the password), or, for a failed TLS handshake, {@link MqConnectionException} saying why.
   */
  static MqConnectionException loginFailed(String bootstrap, KafkaSecurity security, AuthenticationException e) {
    if (e instanceof SslAuthenticationException) {
      return new MqConnectionException("cannot connect to Kafka at " + bootstrap + ": the TLS handshake failed: "
          + tlsReason(e), e);
    }
    return new MqAuthenticationException("Kafka at " + bootstrap + " refused the login of user '" + security.user()
        + "' (" + security.protocol() + ", " + e.getMessage() + "): check the user name, password and saslMechanism", e);
  }

  /** Why a TLS handshake failed, from the exception chain: an untrusted certificate, a host name mismatch, or as said. */
  static String tlsReason(Throwable e) {
    StringBuilder chain = new StringBuilder();
    for (Throwable t = e; t != null && chain.length() < 2000; t = t.getCause()) {
      chain.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
    }
    String all = chain.toString();
    if (all.contains("No subject alternative") || all.contains("No name matching") || all.contains("doesn't match")) {
      return "the broker's certificate does not name the host connected to (set verifyHostname=false for tests only)";
    }
    if (all.contains("PKIX") || all.contains("CertPath") || all.contains("unable to find valid certification path")) {
      return "the broker's certificate is not trusted: its CA is not in trustStore or caFile (or the JVM's default trust store)";
    }
    if (all.contains("certificate_required") || all.contains("bad_certificate")) {
      return "the broker requires a client certificate it accepts (parameters keyStore and keyStorePassword)";
    }
    return String.valueOf(e.getMessage());
  }

  /**
   * One TLS handshake with the first bootstrap server (at most 2 s), after the Kafka client could not
   * connect: why TLS fails there (a port that does not speak TLS, an untrusted certificate), or null
   * when the handshake succeeds or the server cannot be reached at all.
   */
  static String probeTls(String bootstrap, TlsSettings tls) {
    String first = bootstrap.split(",")[0].trim();
    int colon = first.lastIndexOf(':');
    String host = first.substring(0, colon);
    int port = Integer.parseInt(first.substring(colon + 1));
    try (Socket raw = new Socket()) {
      raw.connect(new InetSocketAddress(host, port), 2000);
      raw.setSoTimeout(2000);
      try (SSLSocket s = (SSLSocket) tls.sslContext().getSocketFactory().createSocket(raw, host, port, false)) {
        if (tls.verifyHostname()) {
          SSLParameters p = s.getSSLParameters();
          p.setEndpointIdentificationAlgorithm("HTTPS");
          s.setSSLParameters(p);
        }
        s.startHandshake();
        return null;
      }
    } catch (SSLHandshakeException e) {
      String reason = tlsReason(e);
      return reason.equals(String.valueOf(e.getMessage())) ? "no TLS handshake with " + first + " (" + e.getMessage()
          + "): is it a plaintext port? Use the broker's SSL or SASL_SSL listener, or tls=false" : reason;
    } catch (SSLException | SocketTimeoutException | java.io.EOFException e) {
      return "no TLS handshake with " + first + " (" + e.getMessage() + "): is it a plaintext port? Use the broker's SSL or"
          + " SASL_SSL listener, or tls=false";
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static MqException interrupted(InterruptedException e) {
    Thread.currentThread().interrupt();
    return new MqException("interrupted", e);
  }
}
