package io.unimq.memory.broken;

import io.unimq.api.Message;
import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.InboundMessage;
import io.unimq.spi.Transport;
import io.unimq.spi.TransportConsumer;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** {@code broken-nodlq://}: dead-lettering a delivery just acks it, so exhausted messages vanish. */
public final class NoDeadLetterProvider extends BrokenProvider {
  @Override
  public String scheme() {
    return "broken-nodlq";
  }

  @Override
  Transport breakIt(Transport memory) {
    return new ForwardingTransport(memory) {
      @Override
      public TransportConsumer openConsumer(ConsumerSpec spec) {
        return new ForwardingConsumer(delegate.openConsumer(spec)) {
          @Override
          public List<InboundMessage> poll(int max, Duration timeout) throws InterruptedException {
            return delegate.poll(max, timeout).stream().map(m -> new ForwardingInbound(m) {
              @Override
              public void deadLetter(Message dead) {
                delegate.ack();
              }
            }).collect(Collectors.toList());
          }
        };
      }
    };
  }
}
