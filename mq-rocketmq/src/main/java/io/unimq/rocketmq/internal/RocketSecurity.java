package io.unimq.rocketmq.internal;

import io.unimq.api.MqAuthenticationException;
import io.unimq.api.MqAuthorizationException;
import io.unimq.api.MqConnectionException;
import io.unimq.api.MqException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS and ACL at connect: a probe that tells a TLS port from a plaintext one before the RocketMQ clients try (they
 * would retry and log instead of failing), and the translation of refused credentials and permissions into
 * {@link MqAuthenticationException} and {@link MqAuthorizationException}. Never shows the secret key. Thread-safe.
 */
final class RocketSecurity {
  private static final Logger log = LoggerFactory.getLogger(RocketSecurity.class);
  private static final AtomicBoolean WARNED = new AtomicBoolean();
  /** The HTTP/2 client preface and an empty SETTINGS frame: a plaintext gRPC server answers with its SETTINGS. */
  private static final byte[] H2_PREFACE = concat("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
      new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});

  private RocketSecurity() {}

  interface Step<T> {
    T run() throws Exception;
  }

  /**
   * Checks within {@code connectTimeout} that the proxy's port speaks what the URI says: with {@code tls=true} it
   * completes a TLS handshake, without it answers HTTP/2 in plaintext.
   *
   * @throws MqConnectionException TLS to a plaintext port, or plaintext to a TLS-only port
   */
  static void checkTls(RocketSettings s) {
    int timeout = (int) Math.min(Math.max(1, s.connectTimeout().toMillis()), Integer.MAX_VALUE);
    try (Socket raw = new Socket()) {
      raw.connect(new InetSocketAddress(s.host(), s.port()), timeout);
      raw.setSoTimeout(timeout);
      if (s.ssl()) {
        try (SSLSocket tls = (SSLSocket) trustAll().getSocketFactory().createSocket(raw, s.host(), s.port(), false)) {
          tls.startHandshake();
        } catch (IOException e) {
          throw new MqConnectionException("tls=true, but the RocketMQ proxy at " + s.endpoint() + " does not complete a TLS"
              + " handshake (" + e.getMessage() + "): the port does not speak TLS (is it a plaintext port?); remove tls=true or"
              + " connect to the proxy's TLS port", e);
        }
      } else {
        OutputStream out = raw.getOutputStream();
        out.write(H2_PREFACE);
        out.flush();
        InputStream in = raw.getInputStream();
        byte[] head = in.readNBytes(9);
        boolean settings = head.length == 9 && head[3] == 4;
        if (!settings && (head.length == 0 || head[0] == 0x15)) {
          throw new MqConnectionException("the RocketMQ proxy at " + s.endpoint() + " closed a plaintext connection: it"
              + " requires TLS; add tls=true to the URI", null);
        }
      }
    } catch (MqException e) {
      throw e;
    } catch (java.net.SocketTimeoutException e) {
      log.debug("TLS probe of {}: no answer within {} ms; the RocketMQ client decides", s.endpoint(), timeout);
    } catch (IOException e) {
      if (!s.ssl()) {
        throw new MqConnectionException("the RocketMQ proxy at " + s.endpoint() + " reset a plaintext connection (" + e.getMessage()
            + "): it probably requires TLS; add tls=true to the URI", e);
      }
      throw RocketErrors.translate(e, "cannot reach the RocketMQ proxy at " + s.endpoint());
    }
  }

  /** One WARN per JVM with TLS: the RocketMQ client does not verify the proxy's certificate. */
  static void warnUnverified(RocketSettings s) {
    if (s.ssl() && WARNED.compareAndSet(false, true)) {
      log.warn("tls=true for the RocketMQ proxy at {}: traffic is encrypted, but rocketmq-client-java trusts any certificate"
          + " the proxy presents (it has no trust store setting), so it does not protect against a man in the middle", s.endpoint());
    }
  }

  /**
   * Runs a connect step; refused credentials become {@link MqAuthenticationException} naming the access key and the
   * proxy and name server, a refused permission {@link MqAuthorizationException}, anything else is translated as usual.
   */
  static <T> T atConnect(RocketSettings s, Step<T> step) {
    try {
      return step.run();
    } catch (Exception e) {
      MqException auth = authError(e, "connect to the RocketMQ proxy at " + s.endpoint() + " (name server " + s.namesrv() + ")",
          s.accessKey());
      if (auth != null) {
        throw auth;
      }
      if (e instanceof MqException m) {
        throw m;
      }
      throw RocketErrors.translate(e, "cannot connect to the RocketMQ proxy at " + s.endpoint() + " (name server " + s.namesrv() + ")");
    }
  }

  /**
   * {@code t} (or a cause) as a typed security error, or null when it is none: the proxy's {@code UNAUTHORIZED} or a
   * broker's authentication failure as {@link MqAuthenticationException}, {@code FORBIDDEN} or a broker's denied
   * action as {@link MqAuthorizationException}. The broker's own text names the resource and the action.
   */
  static MqException authError(Throwable t, String what, String accessKey) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if ((c instanceof MqAuthenticationException || c instanceof MqAuthorizationException) && c.getCause() == null) {
        return (MqException) c;
      }
      String m = String.valueOf(c.getMessage());
      String who = accessKey == null ? "" : " with access key '" + accessKey + "'";
      if (c instanceof org.apache.rocketmq.client.java.exception.UnauthorizedException || isAuthentication(c, m)) {
        return new MqAuthenticationException("could not " + what + ": RocketMQ refused the login" + who
            + " (wrong access key or secret key, or no such user): " + m, c);
      }
      if (c instanceof org.apache.rocketmq.client.java.exception.ForbiddenException || isAuthorization(c, m)) {
        return new MqAuthorizationException("could not " + what + ": RocketMQ denied it" + who + ": " + m, c);
      }
    }
    return null;
  }

  /** A broker's or name server's ACL refusal of the credentials (response code 16, NO_PERMISSION, with its reason). */
  private static boolean isAuthentication(Throwable c, String m) {
    return c.getClass().getName().startsWith("org.apache.rocketmq.client.exception.") && m.contains("CODE: 16")
        && !isAuthorization(c, m) && (m.contains("signature") || m.contains("username") || m.contains("not found")
            || m.contains("uthenticat") || m.contains("accessKey"));
  }

  /** A broker's ACL refusal of an action on a resource ("User:x has no permission to access Topic:t ..."). */
  private static boolean isAuthorization(Throwable c, String m) {
    return c.getClass().getName().startsWith("org.apache.rocketmq.client.exception.") && m.contains("CODE: 16")
        && (m.contains("has no permission") || m.contains("Deny"));
  }

  private static SSLContext trustAll() throws IOException {
    try {
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, null);
      return c;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
