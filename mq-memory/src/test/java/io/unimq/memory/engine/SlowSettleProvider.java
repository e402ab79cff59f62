package io.unimq.memory.engine;

import io.unimq.api.Message;
import io.unimq.memory.broken.ForwardingInbound;
import io.unimq.memory.broken.WrappedDeliveries;
import io.unimq.memory.broken.WrappedMemoryProvider;
import io.unimq.spi.InboundMessage;
import io.unimq.spi.Transport;
import java.time.Duration;

/**
 * {@code engine-slowsettle://}: scheduling a retry and moving to the dead letters each take a broker
 * round trip of {@value #ROUND_TRIP_MS} ms, as on a remote broker that writes them durably.
 */
public final class SlowSettleProvider extends WrappedMemoryProvider {
  static final long ROUND_TRIP_MS = 40;

  @Override
  public String scheme() {
    return "engine-slowsettle";
  }

  @Override
  protected Transport wrap(Transport memory) {
    return new WrappedDeliveries(memory, Slow::new);
  }

  private static final class Slow extends ForwardingInbound {
    Slow(InboundMessage delegate) {
      super(delegate);
    }

    @Override
    public void retryLater(Message next, Duration delay) {
      roundTrip();
      delegate.retryLater(next, delay);
    }

    @Override
    public void deadLetter(Message dead) {
      roundTrip();
      delegate.deadLetter(dead);
    }

    private static void roundTrip() {
      try {
        Thread.sleep(ROUND_TRIP_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
