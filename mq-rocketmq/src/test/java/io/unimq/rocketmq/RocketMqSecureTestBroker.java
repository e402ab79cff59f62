package io.unimq.rocketmq;

import io.unimq.testbrokers.TestBrokers;

/**
 * The secured test RocketMQ ({@code scripts/brokers up rocketmq-secure}): TLS on every port, ACL 2.0 users; its URI
 * from {@code UNIMQ_ROCKETMQ_SECURE_URI} ({@code eval "$(scripts/brokers env)"}), its users from
 * {@code scripts/brokers.env}. Loading this class asks the RocketMQ gRPC client's own log (its shaded logback, not
 * slf4j) for DEBUG on standard output, which the redaction test records; with this module's test class path that log
 * stays silent, so the test checks it only when it writes.
 */
final class RocketMqSecureTestBroker {
  static final String USER = TestBrokers.env("ROCKETMQ_SECURE_USER");
  static final String SECRET = TestBrokers.env("ROCKETMQ_SECURE_USER_SK");
  static final String LIMITED = TestBrokers.env("ROCKETMQ_SECURE_LIMITED");
  static final String LIMITED_SECRET = TestBrokers.env("ROCKETMQ_SECURE_LIMITED_SK");
  static final String ADMIN_SECRET = TestBrokers.env("ROCKETMQ_SECURE_ADMIN_SK");
  static final int PORT = Integer.parseInt(TestBrokers.env("ROCKETMQ_SECURE_PROXY_GRPC_PORT"));
  static final String NAMESRV = "127.0.0.1:" + TestBrokers.env("ROCKETMQ_SECURE_NAMESRV_PORT");
  /** What the process writes to standard output while {@link #recordStdout} is on (the gRPC client logs there). */
  static final java.io.ByteArrayOutputStream STDOUT = new java.io.ByteArrayOutputStream();
  static volatile boolean recordStdout;

  static {
    System.setProperty("mq.consoleAppender.enabled", "true");
    System.setProperty("rocketmq.log.level", "debug");
    java.io.PrintStream original = System.out;
    System.setOut(new java.io.PrintStream(new java.io.OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        if (recordStdout) {
          synchronized (STDOUT) {
            STDOUT.write(b, off, len);
          }
        }
        original.write(b, off, len);
      }
    }, true));
  }

  private RocketMqSecureTestBroker() {}

  /** {@code rocketmq://unimq:...@127.0.0.1:18091?namesrv=127.0.0.1:19886&tls=true}. */
  static String uri() {
    String uri = System.getenv("UNIMQ_ROCKETMQ_SECURE_URI");
    if (uri == null || uri.isBlank()) {
      throw new IllegalStateException("UNIMQ_ROCKETMQ_SECURE_URI is not set: scripts/brokers up rocketmq-secure;"
          + " eval \"$(scripts/brokers env)\"");
    }
    return uri;
  }

  /** The secured proxy with {@code userInfo} ({@code ak:sk@} or "") and {@code params} after {@code namesrv}. */
  static String uri(String userInfo, String params) {
    return "rocketmq://" + userInfo + "127.0.0.1:" + PORT + "?namesrv=" + NAMESRV + params;
  }
}
