package io.unimq.memory.engine;

import io.unimq.api.Message;
import io.unimq.api.MqConnectionException;
import io.unimq.memory.broken.ForwardingInbound;
import io.unimq.memory.broken.WrappedDeliveries;
import io.unimq.memory.broken.WrappedMemoryProvider;
import io.unimq.spi.InboundMessage;
import io.unimq.spi.Transport;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code engine-settlefails://}: the broker's connection is lost while failures are settled. The
 * first {@value #FAILING_SETTLEMENTS} retries or dead letters of each message fail with
 * {@link MqConnectionException}; the memory broker then delivers the released message again.
 */
public final class SettleFailsProvider extends WrappedMemoryProvider {
  static final int FAILING_SETTLEMENTS = 4;
  static final Map<String, AtomicInteger> SETTLEMENTS = new ConcurrentHashMap<>();

  @Override
  public String scheme() {
    return "engine-settlefails";
  }

  @Override
  protected Transport wrap(Transport memory) {
    return new WrappedDeliveries(memory, Failing::new);
  }

  private static final class Failing extends ForwardingInbound {
    Failing(InboundMessage delegate) {
      super(delegate);
    }

    @Override
    public void retryLater(Message next, Duration delay) {
      connectionLost(next);
      delegate.retryLater(next, delay);
    }

    @Override
    public void deadLetter(Message dead) {
      connectionLost(dead);
      delegate.deadLetter(dead);
    }

    private static void connectionLost(Message m) {
      if (SETTLEMENTS.computeIfAbsent(m.id(), id -> new AtomicInteger()).incrementAndGet() <= FAILING_SETTLEMENTS) {
        throw new MqConnectionException("connection lost", null);
      }
    }
  }
}
