package io.unimq.rabbit;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqFaultKit;
import io.unimq.testbrokers.BrokerControl;
import io.unimq.testbrokers.SmallDisk;
import io.unimq.testbrokers.TcpProxy;
import io.unimq.testbrokers.TestBrokers;
import org.junit.jupiter.api.AfterAll;

/**
 * The fault kit against the test RabbitMQ: faults through {@code scripts/brokers}, network faults through a {@link TcpProxy} in front of it.
 * Short mode by default (in {@code mvn install}); {@code -Dunimq.fault.mode=full} for the matrix.
 * Breaks the shared broker: do not run it in parallel with other tests of it. The disk-full fault runs on a broker
 * of its own whose state is on a small tmpfs ({@code scripts/brokers up rabbitmq-small-disk}, started by the test;
 * mounting needs root).
 */
class RabbitFaultKitTest extends MqFaultKit {
  /** Between the kit's clients and the broker, for the network faults. */
  private static final TcpProxy PROXY = new TcpProxy(TestBrokers.rabbitmqHost(), TestBrokers.rabbitmqPort());
  /** Where the disk-full fault runs. */
  private static final SmallDisk SMALL_DISK = new SmallDisk("rabbitmq");

  @Override
  protected String broker() {
    return "rabbitmq";
  }

  @Override
  protected MqClient connect() {
    return Mq.connect(PROXY.through(RabbitTestBroker.uri()));
  }

  @Override
  protected MqClient connect(Fault fault) {
    return fault == Fault.DISK_FULL ? Mq.connect(SMALL_DISK.uri()) : connect();
  }

  @Override
  protected void fillDisk() {
    SMALL_DISK.fill();
  }

  @Override
  protected void freeDisk() {
    SMALL_DISK.unfill();
  }

  @AfterAll
  static void stopSmallDisk() {
    SMALL_DISK.downIfStarted();
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
