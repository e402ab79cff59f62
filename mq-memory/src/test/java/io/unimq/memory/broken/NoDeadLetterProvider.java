package io.unimq.memory.broken;

import io.unimq.api.Message;
import io.unimq.spi.Transport;

/** {@code broken-nodlq://}: dead-lettering a delivery just acks it, so exhausted messages vanish. */
public final class NoDeadLetterProvider extends WrappedMemoryProvider {
  @Override
  public String scheme() {
    return "broken-nodlq";
  }

  @Override
  protected Transport wrap(Transport memory) {
    return new WrappedDeliveries(memory, in -> new ForwardingInbound(in) {
      @Override
      public void deadLetter(Message dead) {
        delegate.ack();
      }
    });
  }

  /** The kit against {@code broken-nodlq://}. */
  public static class Kit extends BrokenAdapterKit {
    public Kit() {
      super("broken-nodlq");
    }
  }
}
