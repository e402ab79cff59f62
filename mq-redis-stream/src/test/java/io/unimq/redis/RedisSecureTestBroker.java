package io.unimq.redis;

import io.unimq.testbrokers.TestBrokers;

/**
 * The secured test Redis ({@code scripts/brokers up redis-secure}): a TLS port only, ACL users; its URI
 * from {@code UNIMQ_REDIS_SECURE_URI} ({@code eval "$(scripts/brokers env)"}), its users from
 * {@code scripts/brokers.env}.
 */
final class RedisSecureTestBroker {
  static final String USER = TestBrokers.env("REDIS_SECURE_USER");
  static final String PASSWORD = TestBrokers.env("REDIS_SECURE_PASS");
  static final String READER = TestBrokers.env("REDIS_SECURE_READER_USER");
  static final String READER_PASSWORD = TestBrokers.env("REDIS_SECURE_READER_PASS");
  static final int PORT = Integer.parseInt(TestBrokers.env("REDIS_SECURE_PORT"));

  private RedisSecureTestBroker() {}

  /** {@code rediss://app:...@127.0.0.1:16390/0?caFile=.../ca.pem}. */
  static String uri() {
    String uri = System.getenv("UNIMQ_REDIS_SECURE_URI");
    if (uri == null || uri.isBlank()) {
      throw new IllegalStateException("UNIMQ_REDIS_SECURE_URI is not set: scripts/brokers up redis-secure;"
          + " eval \"$(scripts/brokers env)\"");
    }
    return uri;
  }

  /** The directory of the launcher's TLS material (ca.pem, truststore.p12, client.p12, truststore-other.p12). */
  static String tlsDir() {
    String u = uri();
    String path = u.substring(u.indexOf("caFile=") + "caFile=".length());
    path = path.contains("&") ? path.substring(0, path.indexOf('&')) : path;
    return path.substring(0, path.lastIndexOf('/'));
  }

  /** {@code rediss://127.0.0.1:16390/0}, without user info or parameters. */
  static String base() {
    return "rediss://127.0.0.1:" + PORT + "/0";
  }

  /** {@code caFile=...} of the launcher's CA. */
  static String trust() {
    return "caFile=" + tlsDir() + "/ca.pem";
  }
}
