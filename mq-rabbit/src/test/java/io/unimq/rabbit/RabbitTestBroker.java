package io.unimq.rabbit;

import io.unimq.testbrokers.BrokerControl;
import io.unimq.testbrokers.TestBrokers;

/**
 * The test RabbitMQ ({@link TestBrokers#rabbitmqUri()}, which names its management port), and its
 * fault hook ({@code scripts/brokers <command> rabbitmq}).
 */
final class RabbitTestBroker {
  static final int MANAGEMENT_PORT = TestBrokers.rabbitmqManagementPort();

  private RabbitTestBroker() {}

  /** The URI with its {@code managementPort} parameter (tests append theirs with {@code &}). */
  static String uri() {
    String base = TestBrokers.rabbitmqUri();
    if (base.contains("managementPort=")) {
      return base;
    }
    return base + (base.contains("?") ? "&" : "?") + "managementPort=" + MANAGEMENT_PORT;
  }

  /** Runs {@code scripts/brokers <command> rabbitmq} and waits until it returns. */
  static void brokers(String command) {
    BrokerControl.run(command, "rabbitmq");
  }
}
