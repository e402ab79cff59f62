package io.unimq.memory.broken;

import io.unimq.spi.Transport;

/**
 * {@code broken-early://}: a delayed message becomes visible a second before it is due, as a
 * timer with a coarse precision rounding down would. Caught by the {@code Delay} area.
 */
public final class EarlyDelayProvider extends WrappedMemoryProvider {
  @Override
  public String scheme() {
    return "broken-early";
  }

  @Override
  protected Transport wrap(Transport memory) {
    return new RewrittenPublishes(memory, message -> message.deliverAt() == null ? message
        : message.toBuilder().deliverAt(message.deliverAt().minusSeconds(1)).build());
  }

  /** The kit against {@code broken-early://}. */
  public static class Kit extends BrokenAdapterKit {
    public Kit() {
      super("broken-early");
    }
  }
}
