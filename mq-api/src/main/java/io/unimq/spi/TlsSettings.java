package io.unimq.spi;

import io.unimq.api.MqConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS parameters every adapter reads the same way, validated and loaded before the network:
 *
 * <ul>
 *   <li>{@code tls} ({@code true}/{@code false}; an adapter passes its default, {@code true} for
 *       {@code amqps://} and {@code rediss://});
 *   <li>the trust source: {@code trustStore} (a PKCS12 or JKS file) with {@code trustStorePassword}, or
 *       {@code caFile} (PEM certificates); neither: the JVM's default trust store;
 *   <li>an optional client certificate for mutual TLS: {@code keyStore} (PKCS12 or JKS) with
 *       {@code keyStorePassword} (also the key's password);
 *   <li>{@code verifyHostname} (default {@code true}; {@code false} logs one WARN per JVM).
 * </ul>
 *
 * <p>Any TLS parameter without {@code tls=true} is a configuration error (it would silently do nothing).
 * A missing or unreadable file, or a wrong store password, is an {@link MqConfigurationException}
 * naming the parameter and the file, never the password. Immutable and thread-safe.
 */
public final class TlsSettings {
  /** The parameter names this class reads: adapters add them to their known parameters. */
  public static final Set<String> PARAMETERS = Set.of("tls", "trustStore", "trustStorePassword", "caFile",
      "keyStore", "keyStorePassword", "verifyHostname");

  /**
   * {@code adapterParameters} plus {@link #PARAMETERS} and {@link MqConfig#CREDENTIAL_PARAMETERS}: the
   * known parameters of an adapter that supports TLS and a user and password.
   */
  public static Set<String> withSecurityParameters(Set<String> adapterParameters) {
    Set<String> all = new java.util.HashSet<>(adapterParameters);
    all.addAll(PARAMETERS);
    all.addAll(MqConfig.CREDENTIAL_PARAMETERS);
    return Set.copyOf(all);
  }

  private static final Logger LOG = LoggerFactory.getLogger(TlsSettings.class);
  private static final AtomicBoolean WARNED = new AtomicBoolean();
  private static final TlsSettings DISABLED = new TlsSettings(false, null, null, null, null, true);

  private final boolean enabled;
  private final Path trustStore;
  private final Path caFile;
  private final Path keyStore;
  private final SSLContext sslContext;
  private final boolean verifyHostname;
  private final TrustManagerFactory trustManagers;
  private final KeyManagerFactory keyManagers;
  private final String trustStoreType;
  private final String keyStoreType;

  private TlsSettings(boolean enabled, Path trustStore, Path caFile, Path keyStore, Loaded loaded, boolean verifyHostname) {
    this.enabled = enabled;
    this.trustStore = trustStore;
    this.caFile = caFile;
    this.keyStore = keyStore;
    this.verifyHostname = verifyHostname;
    this.sslContext = loaded == null ? null : loaded.context;
    this.trustManagers = loaded == null ? null : loaded.trust;
    this.keyManagers = loaded == null ? null : loaded.keys;
    this.trustStoreType = loaded == null ? null : loaded.trustType;
    this.keyStoreType = loaded == null ? null : loaded.keyType;
  }

  private record Loaded(SSLContext context, TrustManagerFactory trust, KeyManagerFactory keys, String trustType,
      String keyType) {}

  /**
   * Reads and validates the TLS parameters of {@code config}, loading the stores.
   *
   * @param tlsByDefault whether TLS is on when {@code tls} is absent (true for a TLS scheme such as
   *     {@code amqps://})
   * @throws MqConfigurationException a TLS parameter without TLS, {@code trustStore} and {@code caFile}
   *     both given, a store password without its store, a missing or unreadable file, a wrong store
   *     password (naming the parameter, never the password)
   */
  public static TlsSettings from(MqConfig config, boolean tlsByDefault) {
    boolean tls = config.bool("tls", tlsByDefault);
    String trustStore = config.string("trustStore", null);
    String trustPass = config.string("trustStorePassword", null);
    String caFile = config.string("caFile", null);
    String keyStore = config.string("keyStore", null);
    String keyPass = config.string("keyStorePassword", null);
    boolean verify = config.bool("verifyHostname", true);
    if (!tls) {
      for (String p : new String[] {"trustStore", "trustStorePassword", "caFile", "keyStore", "keyStorePassword",
          "verifyHostname"}) {
        if (config.parameters().containsKey(p)) {
          throw new MqConfigurationException("parameter '" + p + "' needs TLS, but TLS is off for " + config.scheme()
              + "://; add tls=true" + (config.scheme().equals("rabbitmq") ? " (or use amqps://)"
                  : config.scheme().equals("redis") ? " (or use rediss://)" : ""));
        }
      }
      return DISABLED;
    }
    if (trustStore != null && caFile != null) {
      throw new MqConfigurationException("parameters 'trustStore' and 'caFile' are both given; give one trust source"
          + " (a PKCS12/JKS trust store, or a PEM CA file)");
    }
    if (trustPass != null && trustStore == null) {
      throw new MqConfigurationException("parameter 'trustStorePassword' is given without 'trustStore'");
    }
    if (keyPass != null && keyStore == null) {
      throw new MqConfigurationException("parameter 'keyStorePassword' is given without 'keyStore'");
    }
    Path ts = trustStore == null ? null : file("trustStore", trustStore);
    Path ca = caFile == null ? null : file("caFile", caFile);
    Path ks = keyStore == null ? null : file("keyStore", keyStore);
    if (!verify && WARNED.compareAndSet(false, true)) {
      LOG.warn("verifyHostname=false for {}: the broker's certificate is not checked against the host name, so anyone"
          + " holding a certificate from a trusted CA can pose as the broker; use it for tests only", config.redactedUri());
    }
    try {
      TrustManagerFactory tmf = null;
      String trustType = null;
      if (ts != null) {
        KeyStore store = loadStore("trustStore", ts, trustPass);
        trustType = store.getType();
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
      } else if (ca != null) {
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(pemStore(ca));
      }
      KeyManagerFactory kmf = null;
      String keyType = null;
      if (ks != null) {
        KeyStore store = loadStore("keyStore", ks, keyPass);
        keyType = store.getType();
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        try {
          kmf.init(store, keyPass == null ? new char[0] : keyPass.toCharArray());
        } catch (UnrecoverableKeyException e) {
          throw new MqConfigurationException("parameter 'keyStorePassword' does not unlock the private key in keyStore '"
              + ks + "' (the key's password must equal the store's)", null);
        }
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
      return new TlsSettings(true, ts, ca, ks, new Loaded(ctx, tmf, kmf, trustType, keyType), verify);
    } catch (GeneralSecurityException e) {
      throw new MqConfigurationException("cannot set up TLS for " + config.redactedUri() + ": " + e.getClass().getSimpleName()
          + " " + e.getMessage(), e);
    }
  }

  private static Path file(String parameter, String value) {
    Path p = Path.of(value);
    if (!Files.isRegularFile(p)) {
      throw new MqConfigurationException("parameter '" + parameter + "': no such file '" + value + "'"
          + (p.isAbsolute() ? "" : " (relative to " + Path.of("").toAbsolutePath() + ")"));
    }
    if (!Files.isReadable(p)) {
      throw new MqConfigurationException("parameter '" + parameter + "': file '" + value + "' is not readable by this process");
    }
    return p.toAbsolutePath();
  }

  private static KeyStore loadStore(String parameter, Path file, String password) {
    char[] pass = password == null ? null : password.toCharArray();
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    String[] types = name.endsWith(".jks") ? new String[] {"JKS", "PKCS12"} : new String[] {"PKCS12", "JKS"};
    IOException wrongPassword = null;
    for (String type : types) {
      try (InputStream in = Files.newInputStream(file)) {
        KeyStore ks = KeyStore.getInstance(type);
        ks.load(in, pass);
        if (ks.size() == 0) {
          throw new MqConfigurationException("parameter '" + parameter + "': store '" + file + "' holds no entries"
              + (password == null ? " readable without a password: add " + parameter + "Password" : ""), null);
        }
        return ks;
      } catch (IOException e) {
        if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
          wrongPassword = e;
        }
      } catch (GeneralSecurityException e) {
        // try the other type
      }
    }
    if (wrongPassword != null) {
      throw new MqConfigurationException("parameter '" + parameter + "Password' is wrong for " + parameter + " '" + file
          + "'" + (password == null ? " (none was given: add " + parameter + "Password)" : ""), null);
    }
    throw new MqConfigurationException("parameter '" + parameter + "': '" + file + "' is not a PKCS12 or JKS store"
        + (parameter.equals("trustStore") ? " (for PEM certificates use caFile)" : ""), null);
  }

  private static KeyStore pemStore(Path file) throws GeneralSecurityException {
    Collection<? extends Certificate> certs;
    try (InputStream in = Files.newInputStream(file)) {
      certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException | GeneralSecurityException e) {
      throw new MqConfigurationException("parameter 'caFile': '" + file + "' is not a PEM certificate file: " + e.getMessage(), null);
    }
    if (certs.isEmpty()) {
      throw new MqConfigurationException("parameter 'caFile': '" + file + "' holds no PEM certificate", null);
    }
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      ks.load(null, null);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    int i = 0;
    for (Certificate c : certs) {
      ks.setCertificateEntry("ca-" + i++, c);
    }
    return ks;
  }

  /** Whether TLS is on. */
  public boolean enabled() {
    return enabled;
  }

  /**
   * The SSL context: the configured trust source (or the JVM's default) and client certificate.
   *
   * @throws IllegalStateException TLS is off
   */
  public SSLContext sslContext() {
    requireEnabled();
    return sslContext;
  }

  /** The trust managers of {@code trustStore} or {@code caFile}; null for the JVM's default. */
  public TrustManagerFactory trustManagerFactory() {
    requireEnabled();
    return trustManagers;
  }

  /** The key managers of {@code keyStore}; null without a client certificate. */
  public KeyManagerFactory keyManagerFactory() {
    requireEnabled();
    return keyManagers;
  }

  /**
   * Completes one TLS handshake with {@code host:port} within {@code timeout}, with this trust source,
   * hostname check and client certificate, then closes the connection. An adapter calls it before its
   * vendor client connects, so that a port that does not speak TLS (which never answers a ClientHello),
   * an untrusted certificate or a refused client certificate fails within {@code connectTimeout} and
   * {@link #describeFailure} can say which. Thread-safe.
   *
   * @throws IOException the handshake failed; a handshake without an answer within {@code timeout} is an
   *     {@link javax.net.ssl.SSLException} saying "handshake timed out"
   * @throws IllegalStateException TLS is off
   */
  public void handshake(String host, int port, java.time.Duration timeout) throws IOException {
    requireEnabled();
    int millis = (int) Math.min(Math.max(1, timeout.toMillis()), Integer.MAX_VALUE);
    try (java.net.Socket raw = new java.net.Socket()) {
      raw.connect(new java.net.InetSocketAddress(host, port), millis);
      raw.setSoTimeout(millis);
      try (javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) sslContext.getSocketFactory().createSocket(raw, host, port, false)) {
        if (verifyHostname) {
          javax.net.ssl.SSLParameters p = tls.getSSLParameters();
          p.setEndpointIdentificationAlgorithm("HTTPS");
          tls.setSSLParameters(p);
        }
        try {
          tls.startHandshake();
        } catch (java.net.SocketTimeoutException e) {
          throw new javax.net.ssl.SSLException("handshake timed out after " + millis + " ms", e);
        }
      }
    }
  }

  /** Whether the broker's certificate must match the host name (parameter {@code verifyHostname}). */
  public boolean verifyHostname() {
    return verifyHostname;
  }

  /** The {@code trustStore} file (absolute), or null. */
  public Path trustStore() {
    return trustStore;
  }

  /** The store type of {@code trustStore} as loaded ({@code PKCS12} or {@code JKS}), or null. */
  public String trustStoreType() {
    return trustStoreType;
  }

  /** The {@code caFile} (absolute), or null. */
  public Path caFile() {
    return caFile;
  }

  /** The {@code keyStore} file (absolute), or null. */
  public Path keyStore() {
    return keyStore;
  }

  /** The store type of {@code keyStore} as loaded ({@code PKCS12} or {@code JKS}), or null. */
  public String keyStoreType() {
    return keyStoreType;
  }

  /** Whether a client certificate is configured (mutual TLS). */
  public boolean mutual() {
    return keyManagers != null;
  }

  /**
   * What went wrong in a TLS handshake, for an error message, or null when {@code failure} (or its
   * causes) is no TLS failure: the broker's certificate is not trusted, does not name the host, the
   * port does not speak TLS, or the broker refused the client certificate
   * ({@link #clientCertificateRefused(Throwable)}). Never includes a password.
   */
  public String describeFailure(Throwable failure) {
    String trust = trustStore != null ? "trustStore '" + trustStore + "'" : caFile != null ? "caFile '" + caFile + "'"
        : "the JVM's default trust store (give trustStore or caFile)";
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (t instanceof java.security.cert.CertPathValidatorException || t.getClass().getName().endsWith("SunCertPathBuilderException")
          || m.contains("PKIX path") || m.contains("unable to find valid certification path")) {
        return "the broker's certificate is not trusted: no CA in " + trust + " signed it";
      }
      if (t instanceof java.security.cert.CertificateException && (m.contains("No subject alternative") || m.contains("No name matching"))) {
        return "the broker's certificate does not name the host connected to (" + m + "); connect by a name the certificate"
            + " lists, or set verifyHostname=false (tests only)";
      }
      if (m.contains("Unsupported or unrecognized SSL message") || m.contains("plaintext connection?")
          || m.contains("not an SSL/TLS record")) {
        return "the port does not speak TLS (is it the broker's plaintext port?)";
      }
      if (m.contains("handshake timed out")) {
        return "no answer to the TLS handshake (" + m + "): the port probably does not speak TLS (is it a plaintext port?)";
      }
      if (clientCertificateRefused(t)) {
        return "the broker refused the client certificate (" + m + ")" + (keyStore == null ? ": it requires one, give keyStore" : "");
      }
      if (t instanceof javax.net.ssl.SSLException && !(t.getCause() instanceof javax.net.ssl.SSLException)) {
        return "TLS handshake failed: " + m;
      }
    }
    return null;
  }

  /** Whether {@code failure} (or a cause) is the broker's TLS alert refusing or requiring a client certificate. */
  public static boolean clientCertificateRefused(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (t instanceof javax.net.ssl.SSLException && (m.contains("bad_certificate") || m.contains("unknown_ca")
          || m.contains("certificate_required") || m.contains("certificate_unknown") && m.contains("alert"))) {
        return true;
      }
    }
    return false;
  }

  private void requireEnabled() {
    if (!enabled) {
      throw new IllegalStateException("TLS is off");
    }
  }

  /** Without any password: {@code TlsSettings[tls=true, trustStore=..., verifyHostname=true]}. */
  @Override
  public String toString() {
    if (!enabled) {
      return "TlsSettings[tls=false]";
    }
    return "TlsSettings[tls=true" + (trustStore != null ? ", trustStore=" + trustStore : "")
        + (caFile != null ? ", caFile=" + caFile : "") + (keyStore != null ? ", keyStore=" + keyStore : "")
        + ", verifyHostname=" + verifyHostname + "]";
  }
}
