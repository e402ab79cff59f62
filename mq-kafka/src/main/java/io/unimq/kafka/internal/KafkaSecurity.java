package io.unimq.kafka.internal;

import io.unimq.api.MqConfigurationException;
import io.unimq.spi.MqConfig;
import io.unimq.spi.TlsSettings;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * The credentials and TLS parameters of a {@code kafka://} URI as Kafka client settings:
 * {@code security.protocol} ({@code SASL_SSL}, {@code SSL}, {@code SASL_PLAINTEXT} or none),
 * {@code sasl.mechanism} with a {@code sasl.jaas.config} built from the user and password, and the
 * {@code ssl.*} stores. Immutable, thread-safe; {@link #toString()} shows no secret.
 *
 * <p>Internal and unstable: not part of unimq's API.
 */
public final class KafkaSecurity {
  public static final String USER = "user";
  public static final String PASSWORD = "password";
  public static final String SASL_MECHANISM = "saslMechanism";
  /** The SASL mechanisms a user and password can log in with. */
  public static final List<String> MECHANISMS = List.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN");
  static final Set<String> PARAMETERS = Set.of(USER, PASSWORD, SASL_MECHANISM);
  static final KafkaSecurity NONE = new KafkaSecurity(null, null, null, null, null, null);

  private final String user;
  private final String password;
  private final String mechanism;
  private final TlsSettings tls;
  private final String trustStorePassword;
  private final String keyStorePassword;

  private KafkaSecurity(String user, String password, String mechanism, TlsSettings tls, String trustStorePassword,
      String keyStorePassword) {
    this.user = user;
    this.password = password;
    this.mechanism = mechanism;
    this.tls = tls;
    this.trustStorePassword = trustStorePassword;
    this.keyStorePassword = keyStorePassword;
  }

  /**
   * Reads the user (the URI's user info or {@code user}), {@code password}, {@code saslMechanism} and the
   * shared TLS parameters ({@link TlsSettings}), validated before any network.
   */
  static KafkaSecurity from(MqConfig c) {
    String user = c.string(USER, c.user(null));
    String password = c.string(PASSWORD, c.password(null));
    TlsSettings tls = TlsSettings.from(c, false);
    if (password != null && user == null) {
      throw new MqConfigurationException("a password is given without a user for " + c.redactedUri()
          + ": give both (kafka://user:password@host:port, or parameters user and password)");
    }
    if (user != null && password == null) {
      throw new MqConfigurationException("user '" + user + "' is given without a password for " + c.redactedUri()
          + ": give both (kafka://user:password@host:port, or parameters user and password)");
    }
    String mechanism = null;
    if (user != null) {
      mechanism = c.choice(SASL_MECHANISM, MECHANISMS.get(0), MECHANISMS);
    } else if (c.parameters().containsKey(SASL_MECHANISM)) {
      throw new MqConfigurationException("parameter 'saslMechanism' needs a user and password for " + c.redactedUri());
    }
    if (user == null && !tls.enabled()) {
      return NONE;
    }
    return new KafkaSecurity(user, password, mechanism, tls, c.string("trustStorePassword", null),
        c.string("keyStorePassword", null));
  }

  /** The user that logs in, or null (no SASL). */
  String user() {
    return user;
  }

  /** Whether the connection is TLS. */
  boolean tls() {
    return tls != null && tls.enabled();
  }

  /** The loaded TLS settings, or null without TLS. */
  TlsSettings tlsSettings() {
    return tls() ? tls : null;
  }

  /** {@code SASL_SSL}, {@code SSL}, {@code SASL_PLAINTEXT} or {@code PLAINTEXT}. */
  String protocol() {
    return user != null ? (tls() ? "SASL_SSL" : "SASL_PLAINTEXT") : (tls() ? "SSL" : "PLAINTEXT");
  }

  /** Adds the security settings to a client's properties (none without credentials or TLS). */
  void apply(Properties p) {
    if (this == NONE) {
      return;
    }
    p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol());
    if (user != null) {
      p.put(SaslConfigs.SASL_MECHANISM, mechanism);
      String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
          : "org.apache.kafka.common.security.scram.ScramLoginModule";
      p.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + quote(user) + "\" password=\""
          + quote(password) + "\";");
    }
    if (tls()) {
      if (tls.trustStore() != null) {
        p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.trustStore().toString());
        p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, tls.trustStoreType());
        if (trustStorePassword != null) {
          p.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, trustStorePassword);
        }
      } else if (tls.caFile() != null) {
        p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.caFile().toString());
        p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
      }
      if (tls.keyStore() != null) {
        p.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, tls.keyStore().toString());
        p.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, tls.keyStoreType());
        if (keyStorePassword != null) {
          p.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, keyStorePassword);
          p.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, keyStorePassword);
        }
      }
      if (!tls.verifyHostname()) {
        p.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "");
      }
    }
  }

  /** A JAAS option value in double quotes: backslash and quote escaped. */
  private static String quote(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /** Without any secret: {@code KafkaSecurity[SASL_SSL, user=app, SCRAM-SHA-512, TlsSettings[...]]}. */
  @Override
  public String toString() {
    return "KafkaSecurity[" + protocol() + (user != null ? ", user=" + user + ", " + mechanism.toUpperCase(Locale.ROOT) : "")
        + (tls() ? ", " + tls : "") + "]";
  }
}
