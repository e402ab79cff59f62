package io.unimq.memory.engine;

import io.unimq.memory.broken.WrappedMemoryProvider;
import io.unimq.api.Message;
import io.unimq.memory.broken.ForwardingConsumer;
import io.unimq.memory.broken.ForwardingInbound;
import io.unimq.memory.broken.ForwardingTransport;
import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.Headers;
import io.unimq.spi.InboundMessage;
import io.unimq.spi.Transport;
import io.unimq.spi.TransportConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code engine-headerless://}: retries the way RocketMQ does, by redelivering the original message:
 * the engine's {@code unimq-} retry headers are not carried, the attempt is the transport's own
 * delivery count, and {@link InboundMessage#retryCarriesHeaders()} says so.
 */
public final class HeaderlessRetryProvider extends WrappedMemoryProvider {
  /** Deliveries so far per group and message id: the transport's native attempt count. */
  private static final Map<String, AtomicInteger> DELIVERIES = new ConcurrentHashMap<>();

  @Override
  public String scheme() {
    return "engine-headerless";
  }

  @Override
  protected Transport wrap(Transport memory) {
    return new ForwardingTransport(memory) {
      @Override
      public TransportConsumer openConsumer(ConsumerSpec spec) {
        return new ForwardingConsumer(delegate.openConsumer(spec)) {
          @Override
          public List<InboundMessage> poll(int max, Duration timeout) throws InterruptedException {
            List<InboundMessage> out = new ArrayList<>();
            for (InboundMessage in : delegate.poll(max, timeout)) {
              out.add(new Headerless(in, spec.group()));
            }
            return out;
          }
        };
      }
    };
  }

  private static Message original(Message m) {
    return m.toBuilder().removeHeader(Headers.ATTEMPT).removeHeader(Headers.FIRST_FAILURE).build();
  }

  private static final class Headerless extends ForwardingInbound {
    private final Message message;
    private final int attempt;

    Headerless(InboundMessage in, String group) {
      super(in);
      this.message = original(in.message());
      this.attempt = DELIVERIES.computeIfAbsent(group + '/' + message.id(), k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public Message message() {
      return message;
    }

    @Override
    public int attempt() {
      return attempt;
    }

    @Override
    public boolean retryCarriesHeaders() {
      return false;
    }

    @Override
    public void retryLater(Message next, Duration delay) {
      delegate.retryLater(original(next), delay);
    }
  }
}
