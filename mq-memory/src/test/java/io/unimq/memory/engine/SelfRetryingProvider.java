package io.unimq.memory.engine;

import io.unimq.memory.broken.WrappedMemoryProvider;
import io.unimq.api.Message;
import io.unimq.api.MqConnectionException;
import io.unimq.api.SendReceipt;
import io.unimq.memory.broken.ForwardingTransport;
import io.unimq.spi.SendTiming;
import io.unimq.spi.Transport;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code broken-selfretry://}: a transport that says it retries sends itself (as Kafka's producer
 * does). The first publish of each message fails: on topics starting with {@code async}, reported
 * after {@code publish} returned (the client's retries are over: final); on other topics, reported
 * while {@code publish} runs (the send never started: the engine retries). {@link #PUBLISHES} counts
 * publishes per message id.
 */
public final class SelfRetryingProvider extends WrappedMemoryProvider {
  static final Map<String, AtomicInteger> PUBLISHES = new ConcurrentHashMap<>();

  @Override
  public String scheme() {
    return "broken-selfretry";
  }

  @Override
  protected Transport wrap(Transport memory) {
    return new ForwardingTransport(memory) {
      @Override
      public SendTiming sendTiming() {
        return new SendTiming(true, null);
      }

      @Override
      public void publish(Message message, PublishCallback callback) {
        int n = PUBLISHES.computeIfAbsent(message.id(), id -> new AtomicInteger()).incrementAndGet();
        if (n > 1) {
          delegate.publish(message).whenComplete(callback::published);
        } else if (message.topic().startsWith("async")) {
          CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)
              .execute(() -> callback.published(null, new MqConnectionException("gave up after the client's retries", null)));
        } else {
          callback.published(null, new MqConnectionException("no metadata for the topic", null));
        }
      }

      @Override
      public CompletableFuture<SendReceipt> publish(Message message) {
        return Transport.viaCallback(this, message);
      }
    };
  }
}
