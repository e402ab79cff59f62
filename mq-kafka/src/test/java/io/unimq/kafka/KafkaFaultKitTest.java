package io.unimq.kafka;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqFaultKit;
import io.unimq.testbrokers.BrokerControl;
import io.unimq.testbrokers.SmallDisk;
import io.unimq.testbrokers.TcpProxy;
import io.unimq.testbrokers.TestBrokers;
import org.junit.jupiter.api.AfterAll;

/**
 * The fault kit against the test Kafka: faults through {@code scripts/brokers}, network faults through a
 * {@link TcpProxy} on {@code KAFKA_PROXY_PORT}, where the broker's second listener ({@code KAFKA_PROXIED_PORT})
 * is advertised, so that every connection of the kit's clients (bootstrap, partition leaders, group
 * coordinator) goes through the proxy.
 * Short mode by default (in {@code mvn install}); {@code -Dunimq.fault.mode=full} for the matrix.
 * Breaks the shared broker: do not run it in parallel with other tests of it. The disk-full fault runs on a broker
 * of its own whose state is on a small tmpfs ({@code scripts/brokers up kafka-small-disk}, started by the test;
 * mounting needs root).
 */
class KafkaFaultKitTest extends MqFaultKit {
  /** Between the kit's clients and the broker, for the network faults. */
  private static final TcpProxy PROXY = new TcpProxy("127.0.0.1", Integer.parseInt(TestBrokers.env("KAFKA_PROXIED_PORT")),
      Integer.parseInt(TestBrokers.env("KAFKA_PROXY_PORT")));
  /** Where the disk-full fault runs. */
  private static final SmallDisk SMALL_DISK = new SmallDisk("kafka");

  @Override
  protected String broker() {
    return "kafka";
  }

  @Override
  protected MqClient connect() {
    return Mq.connect(PROXY.through(KafkaTestSupport.uri()));
  }

  @Override
  protected MqClient connect(Fault fault) {
    return fault == Fault.DISK_FULL ? Mq.connect(KafkaTestSupport.withTestTimeouts(SMALL_DISK.uri())) : connect();
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
