package io.unimq.spring.boot.autoconfigure;

final class BrokerUris {
  private BrokerUris() {}

  static String require(String variable) {
    String uri = System.getenv(variable);
    if (uri == null || uri.isBlank()) {
      throw new IllegalStateException(variable + " is not set: start the brokers (scripts/brokers up) and run"
          + " eval \"$(scripts/brokers env)\" first, or run scripts/test");
    }
    return uri;
  }
}
