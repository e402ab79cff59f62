package io.unimq.rocketmq;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqFaultKit;
import io.unimq.testbrokers.BrokerControl;
import io.unimq.testbrokers.TcpProxy;
import io.unimq.testbrokers.TestBrokers;
import java.util.Map;

/**
 * The fault kit against the test RocketMQ 5 (namesrv, broker and proxy): faults through {@code scripts/brokers}, network faults through a {@link TcpProxy} in front of it.
 * Short mode by default (in {@code mvn install}); {@code -Dunimq.fault.mode=full} for the matrix.
 * Breaks the shared broker: do not run it in parallel with other tests of it.
 */
class RocketMqFaultKitTest extends MqFaultKit {
  /** Between the kit's clients and the broker, for the network faults. */
  private static final TcpProxy PROXY = new TcpProxy(TestBrokers.rocketmqProxy().split(":")[0], Integer.parseInt(TestBrokers.rocketmqProxy().split(":")[1]));

  @Override
  protected String broker() {
    return "rocketmq";
  }

  @Override
  protected MqClient connect() {
    return Mq.connect(PROXY.through(TestBrokers.rocketmqUri()));
  }

  @Override
  protected Map<Fault, String> skipped() {
    return Map.of(Fault.DISK_FULL, "not injected yet: scripts/brokers has no hook that fills the broker's disk or lowers its disk limit");
  }

  @Override
  protected void restartBroker() {
    BrokerControl.restartPatiently("rocketmq");
  }

  @Override
  protected void killBroker() {
    BrokerControl.kill("rocketmq");
  }

  @Override
  protected void startBroker() {
    BrokerControl.upPatiently("rocketmq");
  }

  @Override
  protected void pauseBroker() {
    BrokerControl.pause("rocketmq");
  }

  @Override
  protected void resumeBroker() {
    BrokerControl.resume("rocketmq");
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
