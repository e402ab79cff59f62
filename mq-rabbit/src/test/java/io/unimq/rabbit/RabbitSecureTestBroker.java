package io.unimq.rabbit;

import io.unimq.testbrokers.TestBrokers;

/**
 * The secured test RabbitMQ ({@code scripts/brokers up rabbitmq-secure}): AMQPS only, its URI from
 * {@code UNIMQ_RABBITMQ_SECURE_URI} ({@code eval "$(scripts/brokers env)"}), its users from
 * {@code scripts/brokers.env}.
 */
final class RabbitSecureTestBroker {
  static final String USER = TestBrokers.env("RABBITMQ_SECURE_USER");
  static final String PASSWORD = TestBrokers.env("RABBITMQ_SECURE_PASS");
  static final String LIMITED_USER = TestBrokers.env("RABBITMQ_SECURE_LIMITED_USER");
  static final String LIMITED_PASSWORD = TestBrokers.env("RABBITMQ_SECURE_LIMITED_PASS");
  static final int PORT = Integer.parseInt(TestBrokers.env("RABBITMQ_SECURE_PORT"));
  static final int MANAGEMENT_PORT = Integer.parseInt(TestBrokers.env("RABBITMQ_SECURE_MGMT_PORT"));

  private RabbitSecureTestBroker() {}

  /** {@code amqps://app:...@127.0.0.1:5691/%2F?managementPort=...&trustStore=...&trustStorePassword=...}. */
  static String uri() {
    String uri = System.getenv("UNIMQ_RABBITMQ_SECURE_URI");
    if (uri == null || uri.isBlank()) {
      throw new IllegalStateException("UNIMQ_RABBITMQ_SECURE_URI is not set: scripts/brokers up rabbitmq-secure;"
          + " eval \"$(scripts/brokers env)\"");
    }
    return uri;
  }

  private static String param(String name) {
    String u = uri();
    int i = u.indexOf(name + "=") + name.length() + 1;
    return u.substring(i, u.indexOf('&', i) < 0 ? u.length() : u.indexOf('&', i));
  }

  /** The directory of the launcher's TLS material (ca.pem, truststore.p12, client.p12, truststore-other.p12). */
  static String tlsDir() {
    String path = param("trustStore");
    return path.substring(0, path.lastIndexOf('/'));
  }

  /** The password of the launcher's PKCS12 stores. */
  static String storePassword() {
    return param("trustStorePassword");
  }

  /** The URI without its user info and trust parameters: {@code amqps://127.0.0.1:5691}. */
  static String base() {
    return "amqps://127.0.0.1:" + PORT;
  }

  /** {@code trustStore=...&trustStorePassword=...} of the launcher's CA. */
  static String trust() {
    return "trustStore=" + tlsDir() + "/truststore.p12&trustStorePassword=" + storePassword();
  }
}
