package io.unimq.kafka;

import java.nio.file.Path;

/**
 * The secured test Kafka of {@code scripts/brokers up kafka-secure} ({@code UNIMQ_KAFKA_SECURE_URI}: SASL_SSL,
 * user admin). Its users and ports are those of {@code scripts/brokers.d/secure-kafka.sh}.
 */
final class KafkaSecureSupport {
  static final String ADMIN_PASSWORD = "kafka-admin-pw";
  static final String APP_PASSWORD = "kafka-app-pw";
  static final String STORE_PASSWORD = "changeit";

  private KafkaSecureSupport() {}

  /** {@code kafka://admin:...@127.0.0.1:19292?tls=true&trustStore=...&trustStorePassword=...}. */
  static String uri() {
    String u = System.getenv("UNIMQ_KAFKA_SECURE_URI");
    if (u == null || u.isBlank()) {
      throw new IllegalStateException("UNIMQ_KAFKA_SECURE_URI is not set: scripts/brokers up kafka-secure; "
          + "eval \"$(scripts/brokers env)\"");
    }
    return u;
  }

  /** The directory of the test CA's files (trust stores, client certificate, PEM files). */
  static Path tlsDir() {
    String u = uri();
    int i = u.indexOf("trustStore=") + "trustStore=".length();
    return Path.of(u.substring(i, u.indexOf('&', i))).getParent();
  }

  /** host:port of the SASL_SSL listener. */
  static String hostPort() {
    String u = uri();
    return u.substring(u.indexOf('@') + 1, u.indexOf('?'));
  }

  /** The secured URI as {@code user} with {@code password}, plus {@code extra} parameters ("&a=b"). */
  static String as(String user, String password, String extra) {
    String u = uri();
    return "kafka://" + user + ":" + password + u.substring(u.indexOf('@')) + "&connectTimeout=5s" + extra;
  }

  /** The mutual-TLS listener (port + 1) with the test client certificate, no SASL. */
  static String mutualTls(String extra) {
    String hp = hostPort();
    int port = Integer.parseInt(hp.substring(hp.indexOf(':') + 1)) + 1;
    return "kafka://" + hp.substring(0, hp.indexOf(':')) + ":" + port + "?tls=true&trustStore=" + tlsDir().resolve("truststore.p12")
        + "&trustStorePassword=" + STORE_PASSWORD + "&connectTimeout=5s" + extra;
  }
}
