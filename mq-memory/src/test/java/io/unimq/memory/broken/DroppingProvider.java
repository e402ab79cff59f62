package io.unimq.memory.broken;

import io.unimq.api.Message;
import io.unimq.api.SendReceipt;
import io.unimq.spi.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** {@code broken-drop://}: every 100th publish reports success but stores nothing. */
public final class DroppingProvider extends WrappedMemoryProvider {
  @Override
  public String scheme() {
    return "broken-drop";
  }

  @Override
  protected Transport wrap(Transport memory) {
    return new ForwardingTransport(memory) {
      private final AtomicLong published = new AtomicLong();

      @Override
      public CompletableFuture<SendReceipt> publish(Message message) {
        if (published.incrementAndGet() % 100 == 0) {
          return CompletableFuture.completedFuture(new SendReceipt(message.id(), message.topic(), null));
        }
        return delegate.publish(message);
      }

      @Override
      public CompletableFuture<List<SendReceipt>> publishBatch(List<Message> messages) {
        List<CompletableFuture<SendReceipt>> all = new ArrayList<>();
        messages.forEach(m -> all.add(publish(m)));
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
            .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
      }
    };
  }

  /** The kit against {@code broken-drop://}. */
  public static class Kit extends BrokenAdapterKit {
    public Kit() {
      super("broken-drop");
    }
  }
}
