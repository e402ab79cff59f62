package io.unimq.memory.broken;

import io.unimq.spi.Transport;

/**
 * {@code broken-dropclose://}: a delivery given back unhandled (when its subscription or client
 * closes) is acked instead, so closing drops the work in flight. Caught by the {@code Lifecycle} area.
 */
public final class DroppingCloseProvider extends WrappedMemoryProvider {
  @Override
  public String scheme() {
    return "broken-dropclose";
  }

  @Override
  protected Transport wrap(Transport memory) {
    return new WrappedDeliveries(memory, in -> new ForwardingInbound(in) {
      @Override
      public void release() {
        delegate.ack();
      }
    });
  }

  /** The kit against {@code broken-dropclose://}. */
  public static class Kit extends BrokenAdapterKit {
    public Kit() {
      super("broken-dropclose");
    }
  }
}
