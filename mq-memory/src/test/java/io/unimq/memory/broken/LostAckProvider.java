package io.unimq.memory.broken;

import io.unimq.spi.Transport;

/**
 * {@code broken-lostack://}: an ack never reaches the broker, so an acked message comes back once
 * its consumer closes. Caught by the {@code ManualAck} area.
 */
public final class LostAckProvider extends WrappedMemoryProvider {
  @Override
  public String scheme() {
    return "broken-lostack";
  }

  @Override
  protected Transport wrap(Transport memory) {
    return new WrappedDeliveries(memory, in -> new ForwardingInbound(in) {
      @Override
      public void ack() {}
    });
  }

  /** The kit against {@code broken-lostack://}. */
  public static class Kit extends BrokenAdapterKit {
    public Kit() {
      super("broken-lostack");
    }
  }
}
