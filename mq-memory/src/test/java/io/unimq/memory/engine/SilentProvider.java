package io.unimq.memory.engine;

import io.unimq.memory.broken.WrappedMemoryProvider;
import io.unimq.api.Message;
import io.unimq.api.SendReceipt;
import io.unimq.memory.broken.ForwardingTransport;
import io.unimq.spi.SendTiming;
import io.unimq.spi.Transport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** {@code broken-silent://}: publishes are never reported, though the transport claims a 60 s bound. */
public final class SilentProvider extends WrappedMemoryProvider {
  @Override
  public String scheme() {
    return "broken-silent";
  }

  @Override
  protected Transport wrap(Transport memory) {
    return new ForwardingTransport(memory) {
      @Override
      public CompletableFuture<SendReceipt> publish(Message message) {
        return new CompletableFuture<>();
      }

      @Override
      public SendTiming sendTiming() {
        return new SendTiming(false, Duration.ofSeconds(60));
      }
    };
  }
}
