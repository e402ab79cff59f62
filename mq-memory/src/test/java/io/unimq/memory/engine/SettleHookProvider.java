package io.unimq.memory.engine;

import io.unimq.api.Message;
import io.unimq.memory.broken.ForwardingInbound;
import io.unimq.memory.broken.WrappedDeliveries;
import io.unimq.memory.broken.WrappedMemoryProvider;
import io.unimq.spi.Transport;
import java.time.Duration;

/** A memory broker whose deliveries run {@link #beforeSettle} before each retry or dead letter reaches the broker. */
abstract class SettleHookProvider extends WrappedMemoryProvider {
  /** Runs before the retry or dead letter of {@code next}; may throw, as a broker refusing it. */
  abstract void beforeSettle(Message next);

  @Override
  protected final Transport wrap(Transport memory) {
    return new WrappedDeliveries(memory, in -> new ForwardingInbound(in) {
      @Override
      public void retryLater(Message next, Duration delay) {
        beforeSettle(next);
        delegate.retryLater(next, delay);
      }

      @Override
      public void deadLetter(Message dead) {
        beforeSettle(dead);
        delegate.deadLetter(dead);
      }
    });
  }
}
