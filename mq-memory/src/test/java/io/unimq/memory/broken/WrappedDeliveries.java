package io.unimq.memory.broken;

import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.InboundMessage;
import io.unimq.spi.Transport;
import io.unimq.spi.TransportConsumer;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/** A transport whose consumers hand every delivery out wrapped: for adapters that break settling. */
public final class WrappedDeliveries extends ForwardingTransport {
  private final UnaryOperator<InboundMessage> wrap;

  public WrappedDeliveries(Transport delegate, UnaryOperator<InboundMessage> wrap) {
    super(delegate);
    this.wrap = wrap;
  }

  @Override
  public TransportConsumer openConsumer(ConsumerSpec spec) {
    return new ForwardingConsumer(delegate.openConsumer(spec)) {
      @Override
      public List<InboundMessage> poll(int max, Duration timeout) throws InterruptedException {
        return delegate.poll(max, timeout).stream().map(wrap).toList();
      }
    };
  }
}
