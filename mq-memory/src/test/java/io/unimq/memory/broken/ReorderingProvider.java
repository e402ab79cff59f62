package io.unimq.memory.broken;

import io.unimq.api.Message;
import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.InboundMessage;
import io.unimq.spi.Transport;
import io.unimq.spi.TransportConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code broken-reorder://}: each consumer holds back the fifth keyed message it fetches (acking it
 * at the broker so that the key is not blocked there) and hands it to the engine only after a later
 * message of the same key, or after 2 s.
 */
public final class ReorderingProvider extends WrappedMemoryProvider {
  private static final int VICTIM = 5;
  private static final long FALLBACK_NANOS = Duration.ofSeconds(2).toNanos();

  @Override
  public String scheme() {
    return "broken-reorder";
  }

  @Override
  protected Transport wrap(Transport memory) {
    return new ForwardingTransport(memory) {
      @Override
      public TransportConsumer openConsumer(ConsumerSpec spec) {
        return new Reordering(delegate.openConsumer(spec));
      }
    };
  }

  /** Polled from one engine thread, so plain fields suffice. */
  private static final class Reordering extends ForwardingConsumer {
    private int keyed;
    private Held held;
    private long heldAt;
    private boolean overtaken;

    Reordering(TransportConsumer delegate) {
      super(delegate);
    }

    @Override
    public List<InboundMessage> poll(int max, Duration timeout) throws InterruptedException {
      if (held != null && (overtaken || System.nanoTime() - heldAt > FALLBACK_NANOS)) {
        Held h = held;
        held = null;
        return List.of(h);
      }
      List<InboundMessage> out = new ArrayList<>();
      for (InboundMessage m : delegate.poll(max, timeout)) {
        String key = m.message().key();
        if (key != null && ++keyed == VICTIM) {
          m.ack();
          held = new Held(m.message(), m.attempt());
          heldAt = System.nanoTime();
          continue;
        }
        if (held != null && key != null && key.equals(held.message().key())) {
          overtaken = true;
        }
        out.add(m);
      }
      return out;
    }
  }

  /** The held-back delivery, already acked at the broker: settling it does nothing. */
  private record Held(Message message, int attempt) implements InboundMessage {
    @Override
    public void ack() {}

    @Override
    public void retryLater(Message next, Duration delay) {}

    @Override
    public void deadLetter(Message dead) {}

    @Override
    public void release() {}
  }

  /** The kit against {@code broken-reorder://}. */
  public static class Kit extends BrokenAdapterKit {
    public Kit() {
      super("broken-reorder");
    }
  }
}
