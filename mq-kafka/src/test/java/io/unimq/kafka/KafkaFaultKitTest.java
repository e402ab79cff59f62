package io.unimq.kafka;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqFaultKit;
import io.unimq.testbrokers.BrokerControl;
import io.unimq.testbrokers.TcpProxy;
import io.unimq.testbrokers.TestBrokers;
import java.util.Map;

/**
 * The fault kit against the test Kafka: faults through {@code scripts/brokers}, network faults through a
 * {@link TcpProxy} on {@code KAFKA_PROXY_PORT}, where the broker's second listener ({@code KAFKA_PROXIED_PORT})
 * is advertised, so that every connection of the kit's clients (bootstrap, partition leaders, group
 * coordinator) goes through the proxy.
 * Short mode by default (in {@code mvn install}); {@code -Dunimq.fault.mode=full} for the matrix.
 * Breaks the shared broker: do not run it in parallel with other tests of it.
 */
class KafkaFaultKitTest extends MqFaultKit {
  /** Between the kit's clients and the broker, for the network faults. */
  private static final TcpProxy PROXY = new TcpProxy("127.0.0.1", Integer.parseInt(TestBrokers.env("KAFKA_PROXIED_PORT")),
      Integer.parseInt(TestBrokers.env("KAFKA_PROXY_PORT")));

  @Override
  protected String broker() {
    return "kafka";
  }

  @Override
  protected MqClient connect() {
    return Mq.connect(PROXY.through(KafkaTestSupport.uri()));
  }

  @Override
  protected Map<Fault, String> skipped() {
    return Map.of(Fault.DISK_FULL, "not injected yet: scripts/brokers has no hook that fills the broker's disk or lowers its disk limit");
  }

  @Override
  protected void restartBroker() {
    BrokerControl.restartPatiently("kafka");
  }

  @Override
  protected void killBroker() {
    BrokerControl.kill("kafka");
  }

  @Override
  protected void startBroker() {
    BrokerControl.upPatiently("kafka");
  }

  @Override
  protected void pauseBroker() {
    BrokerControl.pause("kafka");
  }

  @Override
  protected void resumeBroker() {
    BrokerControl.resume("kafka");
  }

  @Override
  protected void cutNetwork() {
    PROXY.cut();
  }

  @Override
  protected void restoreNetwork() {
    PROXY.restore();
  }

  @Override
  protected void capBandwidth(long bytesPerSecond) {
    PROXY.capBandwidth(bytesPerSecond);
  }
}
