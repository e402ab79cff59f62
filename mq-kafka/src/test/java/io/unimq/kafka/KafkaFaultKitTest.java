package io.unimq.kafka;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqFaultKit;
import io.unimq.testbrokers.BrokerControl;
import java.util.Map;

/**
 * The fault kit against the test Kafka: faults through {@code scripts/brokers}; no proxy (see {@link #skipped()}).
 * Short mode by default (in {@code mvn install}); {@code -Dunimq.fault.mode=full} for the matrix.
 * Breaks the shared broker: do not run it in parallel with other tests of it.
 */
class KafkaFaultKitTest extends MqFaultKit {

  @Override
  protected String broker() {
    return "kafka";
  }

  @Override
  protected MqClient connect() {
    return Mq.connect(KafkaTestSupport.uri());
  }

  @Override
  protected Map<Fault, String> skipped() {
    return Map.of(Fault.NETWORK_CUT, "the broker advertises its own address (advertised.listeners), so after bootstrap the client connects around a TCP proxy; needs a listener advertised at the proxy",
        Fault.BANDWIDTH, "the broker advertises its own address (advertised.listeners), so after bootstrap the client connects around a TCP proxy; needs a listener advertised at the proxy",
        Fault.DISK_FULL, "not injected yet: scripts/brokers has no hook that fills the broker's disk or lowers its disk limit");
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
}
