package io.unimq.bench.jmh;

import io.unimq.api.Capability;
import io.unimq.api.Message;
import io.unimq.api.SendReceipt;
import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.InboundMessage;
import io.unimq.spi.MqConfig;
import io.unimq.spi.MqProvider;
import io.unimq.spi.Transport;
import io.unimq.spi.TransportConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code benchnoop://x}: a transport that does nothing, so that a benchmark measures the engine
 * alone. Publishing completes at once (or, for topics named {@code async*}, a moment later on a
 * completer thread, as a real client does); a consumer hands out one shared, pre-built delivery each
 * time the benchmark {@linkplain #offer(int) offers} a permit; settling does nothing. For
 * benchmarks only. Thread-safe.
 */
public final class NoopProvider implements MqProvider {
  /** Publishes to topics starting with this complete later, on another thread, like a real client's I/O thread. */
  static final String ASYNC_PREFIX = "async";
  private static final Semaphore PERMITS = new Semaphore(0);
  private static final ConcurrentLinkedQueue<Object[]> PENDING = new ConcurrentLinkedQueue<>();

  /**
   * The completer thread polls every 20 µs, so it starts on first use only: ServiceLoader
   * instantiates this provider in every benchmark JVM, and a thread spinning there would take CPU
   * from the broker benchmarks (it took 14 % of a core).
   */
  private static final class Completer {
    static {
      Thread t = new Thread(NoopProvider::completeLoop, "benchnoop-io");
      t.setDaemon(true);
      t.start();
    }

    static void ensureStarted() {}
  }

  /** A future completed with {@code value} by the completer thread: what a client's send returns. */
  @SuppressWarnings("unchecked")
  static <T> CompletableFuture<T> later(T value) {
    Completer.ensureStarted();
    CompletableFuture<T> f = new CompletableFuture<>();
    PENDING.add(new Object[] {f, value});
    return f;
  }

  @SuppressWarnings("unchecked")
  private static void completeLoop() {
    while (true) {
      Object[] p = PENDING.poll();
      if (p == null) {
        LockSupport.parkNanos(20_000);
        continue;
      }
      ((CompletableFuture<Object>) p[0]).complete(p[1]);
    }
  }
  private static volatile InboundMessage delivery;

  @Override
  public String scheme() {
    return "benchnoop";
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.noneOf(Capability.class);
  }

  /** Lets consumers fetch {@code n} more deliveries of {@code m}. */
  static void offer(Message m, int n) {
    if (delivery == null || delivery.message() != m) {
      delivery = new NoopDelivery(m);
    }
    PERMITS.release(n);
  }

  @Override
  public Transport connect(MqConfig config) {
    return new Transport() {
      @Override
      public int maxMessageSize() {
        return 4 * 1024 * 1024;
      }

      @Override
      public CompletableFuture<SendReceipt> publish(Message message) {
        if (message.topic().startsWith(ASYNC_PREFIX)) {
          return later(SendReceipt.of(message, message.topic(), null));
        }
        return CompletableFuture.completedFuture(SendReceipt.of(message, message.topic(), null));
      }

      @Override
      public void declareTopic(String topic) {}

      @Override
      public void declareGroup(String topic, String group, boolean ordered) {}

      @Override
      public TransportConsumer openConsumer(ConsumerSpec spec) {
        return new TransportConsumer() {
          @Override
          public List<InboundMessage> poll(int max, Duration timeout) throws InterruptedException {
            List<InboundMessage> out = new ArrayList<>();
            if (!PERMITS.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
              return out;
            }
            out.add(delivery);
            while (out.size() < max && PERMITS.tryAcquire()) {
              out.add(delivery);
            }
            return out;
          }

          @Override
          public void close() {}
        };
      }

      @Override
      public long lag(String topic, String group) {
        return 0;
      }

      @Override
      public void close() {}
    };
  }

  private record NoopDelivery(Message message) implements InboundMessage {
    @Override
    public void ack() {}

    @Override
    public void retryLater(Message next, Duration delay) {}

    @Override
    public void deadLetter(Message dead) {}

    @Override
    public void release() {}
  }
}
