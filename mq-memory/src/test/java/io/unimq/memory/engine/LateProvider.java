package io.unimq.memory.engine;

import io.unimq.memory.broken.WrappedMemoryProvider;
import io.unimq.api.Message;
import io.unimq.api.SendReceipt;
import io.unimq.memory.broken.ForwardingTransport;
import io.unimq.spi.SendTiming;
import io.unimq.spi.Transport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code broken-late://}: every publish is reported 1.5 s late, though the transport claims to report
 * within 1 s; shows whether the engine timed the send out itself.
 */
public final class LateProvider extends WrappedMemoryProvider {
  @Override
  public String scheme() {
    return "broken-late";
  }

  @Override
  protected Transport wrap(Transport memory) {
    return new ForwardingTransport(memory) {
      @Override
      public CompletableFuture<SendReceipt> publish(Message message) {
        return delegate.publish(message).thenCompose(r -> CompletableFuture.supplyAsync(() -> r,
            CompletableFuture.delayedExecutor(1500, TimeUnit.MILLISECONDS)));
      }

      @Override
      public SendTiming sendTiming() {
        return new SendTiming(false, Duration.ofSeconds(1));
      }
    };
  }
}
