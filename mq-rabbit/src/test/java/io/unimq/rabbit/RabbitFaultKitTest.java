package io.unimq.rabbit;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqFaultKit;
import io.unimq.testbrokers.BrokerControl;
import io.unimq.testbrokers.TcpProxy;
import io.unimq.testbrokers.TestBrokers;
import java.util.Map;

/**
 * The fault kit against the test RabbitMQ: faults through {@code scripts/brokers}, network faults through a {@link TcpProxy} in front of it.
 * Short mode by default (in {@code mvn install}); {@code -Dunimq.fault.mode=full} for the matrix.
 * Breaks the shared broker: do not run it in parallel with other tests of it.
 */
class RabbitFaultKitTest extends MqFaultKit {
  /** Between the kit's clients and the broker, for the network faults. */
  private static final TcpProxy PROXY = new TcpProxy(TestBrokers.rabbitmqHost(), TestBrokers.rabbitmqPort());

  @Override
  protected String broker() {
    return "rabbitmq";
  }

  @Override
  protected MqClient connect() {
    return Mq.connect(PROXY.through(RabbitTestBroker.uri()));
  }

  @Override
  protected Map<Fault, String> skipped() {
    return Map.of(Fault.DISK_FULL, "not injected yet: scripts/brokers has no hook that fills the broker's disk or lowers its disk limit");
  }

  @Override
  protected void restartBroker() {
    BrokerControl.restartPatiently("rabbitmq");
  }

  @Override
  protected void killBroker() {
    BrokerControl.kill("rabbitmq");
  }

  @Override
  protected void startBroker() {
    BrokerControl.upPatiently("rabbitmq");
  }

  @Override
  protected void pauseBroker() {
    BrokerControl.pause("rabbitmq");
  }

  @Override
  protected void resumeBroker() {
    BrokerControl.resume("rabbitmq");
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
