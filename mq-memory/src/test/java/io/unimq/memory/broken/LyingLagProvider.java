package io.unimq.memory.broken;

import io.unimq.spi.Transport;

/** {@code broken-lag0://}: the lag of every group reads 0. Caught by the {@code Lag} area. */
public final class LyingLagProvider extends WrappedMemoryProvider {
  @Override
  public String scheme() {
    return "broken-lag0";
  }

  @Override
  protected Transport wrap(Transport memory) {
    return new ForwardingTransport(memory) {
      @Override
      public long lag(String topic, String group) {
        return 0;
      }
    };
  }

  /** The kit against {@code broken-lag0://}. */
  public static class Kit extends BrokenAdapterKit {
    public Kit() {
      super("broken-lag0");
    }
  }
}
