package io.unimq.rabbit;

import io.unimq.testbrokers.BrokerControl;
import io.unimq.testbrokers.TestBrokers;

/**
 * The launcher's RabbitMQ ({@link TestBrokers#rabbitmqUri()}) with its management port, and its
 * fault hook ({@code scripts/brokers <command> rabbitmq}).
 */
final class RabbitTestBroker {
  static final int MANAGEMENT_PORT = Integer.parseInt(setting("UNIMQ_RABBITMQ_MANAGEMENT_PORT", "15673"));

  private RabbitTestBroker() {}

  static String uri() {
    String base = TestBrokers.rabbitmqUri();
    return base + (base.contains("?") ? "&" : "?") + "managementPort=" + MANAGEMENT_PORT;
  }

  private static String setting(String name, String def) {
    String v = System.getProperty(name, System.getenv(name));
    return v == null || v.isBlank() ? def : v;
  }

  /** Runs {@code scripts/brokers <command> rabbitmq} and waits until it returns. */
  static void brokers(String command) {
    BrokerControl.run(command, "rabbitmq");
  }
}
