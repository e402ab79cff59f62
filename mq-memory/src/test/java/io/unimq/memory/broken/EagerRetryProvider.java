package io.unimq.memory.broken;

import io.unimq.api.Message;
import io.unimq.spi.Transport;
import java.time.Duration;

/**
 * {@code broken-eagerretry://}: a retry is made visible at once, whatever backoff the engine asked
 * for. Caught by the {@code Retry} area.
 */
public final class EagerRetryProvider extends WrappedMemoryProvider {
  @Override
  public String scheme() {
    return "broken-eagerretry";
  }

  @Override
  protected Transport wrap(Transport memory) {
    return new WrappedDeliveries(memory, in -> new ForwardingInbound(in) {
      @Override
      public void retryLater(Message next, Duration delay) {
        delegate.retryLater(next, Duration.ZERO);
      }
    });
  }

  /** The kit against {@code broken-eagerretry://}. */
  public static class Kit extends BrokenAdapterKit {
    public Kit() {
      super("broken-eagerretry");
    }
  }
}
