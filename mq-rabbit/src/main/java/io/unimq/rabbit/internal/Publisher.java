package io.unimq.rabbit.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Return;
import io.unimq.api.MqClosedException;
import io.unimq.api.MqConnectionException;
import io.unimq.api.MqException;
import io.unimq.api.MqInvalidMessageException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes with asynchronous publisher confirms over one channel, guarded by a lock (a channel
 * must not be used for publishing by two threads at once). Each publish registers its sequence
 * number in a window of outstanding confirms; the confirm listener completes them (nack: failed)
 * and a channel shutdown fails every outstanding one, so that the engine retries with the same id.
 * The window is bounded: a publish waits for room (backpressure) up to the send timeout.
 * Futures are completed on {@code completions}, never on the connection's I/O thread: one task per
 * confirm frame (a {@code multiple} confirm completes its whole range at once). A publish the
 * client cannot encode fails with {@link MqInvalidMessageException} and leaves the publisher
 * usable: confirms stay matched to their sends. Thread-safe.
 */
final class Publisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Publisher.class);

  private final Channel channel;
  private final Object lock = new Object();
  private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> outstanding = new ConcurrentSkipListMap<>();
  private final Semaphore window;
  private final Duration timeout;
  private final Executor completions;
  private final String address;
  private final AtomicLong unroutable = new AtomicLong();
  private volatile boolean closed;
  /**
   * Sequence numbers the client gave to publishes that failed before reaching the broker (it numbers
   * a publish before encoding it), since the channel was last opened; guarded by {@code lock}.
   * Outstanding confirms are keyed by the broker's numbers: the client's less this.
   */
  private long skipped;
  /** The client's sequence number of the last publish; guarded by {@code lock}. */
  private long lastSeq;

  Publisher(Connection connection, int windowSize, Duration timeout, Executor completions, String address,
      Consumer<Return> onReturn) throws IOException {
    this.window = new Semaphore(windowSize);
    this.timeout = timeout;
    this.completions = completions;
    this.address = address;
    this.channel = connection.createChannel();
    channel.confirmSelect();
    channel.addConfirmListener((seq, multiple) -> settle(seq, multiple, null),
        (seq, multiple) -> settle(seq, multiple, new MqException("the broker refused the message (basic.nack); it is not stored")));
    channel.addReturnListener(r -> {
      unroutable.incrementAndGet();
      onReturn.accept(r);
    });
    channel.addShutdownListener(cause -> failAll(RabbitErrors.unavailable("get the confirm from " + address + " (channel closed)", cause)));
  }

  /** Messages returned as unroutable (published to a topic without a group) since this publisher opened. */
  long unroutable() {
    return unroutable.get();
  }

  /** Publishes persistently; completes when the broker confirms it. */
  CompletableFuture<Void> publish(String exchange, String routingKey, boolean mandatory,
      AMQP.BasicProperties props, byte[] body) {
    if (closed) {
      return CompletableFuture.failedFuture(new MqClosedException("rabbitmq transport is closed"));
    }
    try {
      if (!window.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return CompletableFuture.failedFuture(new MqConnectionException("no publisher confirm from " + address + " for "
            + outstanding.size() + " outstanding messages within " + timeout, null));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(new MqException("interrupted while waiting for the confirm window", e));
    }
    CompletableFuture<Void> f = new CompletableFuture<>();
    f.whenComplete((v, e) -> window.release());
    synchronized (lock) {
      long next = channel.getNextPublishSeqNo();
      if (next < lastSeq) {
        skipped = 0; // a recovered channel numbers its publishes from 1 again, as does the broker
      }
      long seq = next - skipped;
      outstanding.put(seq, f);
      try {
        channel.basicPublish(exchange, routingKey, mandatory, props, body);
        lastSeq = next;
      } catch (IOException | RuntimeException e) {
        long after = channel.getNextPublishSeqNo();
        if (after > next) {
          // the client numbered the publish before encoding it, but nothing reached the broker,
          // which numbers the next publish as this one: confirms would match the wrong sends
          skipped += after - next;
          lastSeq = after;
        }
        if (outstanding.remove(seq, f)) {
          fail(f, e instanceof IllegalArgumentException
              ? new MqInvalidMessageException("RabbitMQ cannot carry the message: " + e.getMessage())
              : RabbitErrors.unavailable("publish to " + address, e));
        }
      }
    }
    return f;
  }

  /** I/O thread: takes the frame's futures out of the window and completes them all in one task. */
  private void settle(long seq, boolean multiple, MqException nack) {
    List<CompletableFuture<Void>> done = new ArrayList<>();
    if (multiple) {
      for (Map.Entry<Long, CompletableFuture<Void>> e : outstanding.headMap(seq, true).entrySet()) {
        if (outstanding.remove(e.getKey(), e.getValue())) {
          done.add(e.getValue());
        }
      }
    } else {
      CompletableFuture<Void> f = outstanding.remove(seq);
      if (f != null) {
        done.add(f);
      }
    }
    if (done.isEmpty()) {
      return;
    }
    completions.execute(() -> {
      for (CompletableFuture<Void> f : done) {
        if (nack == null) {
          f.complete(null);
        } else {
          f.completeExceptionally(nack);
        }
      }
    });
  }

  private void fail(CompletableFuture<Void> f, Throwable e) {
    completions.execute(() -> f.completeExceptionally(e));
  }

  private void failAll(MqException cause) {
    if (!outstanding.isEmpty()) {
      log.warn("publishing channel to {} closed with {} unconfirmed message(s): {}", address, outstanding.size(), cause.getMessage());
    }
    for (Long seq : outstanding.keySet()) {
      CompletableFuture<Void> f = outstanding.remove(seq);
      if (f != null) {
        fail(f, cause);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      if (channel.isOpen()) {
        channel.close();
      }
    } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
      log.debug("closing the publishing channel failed: {}", e.toString());
    }
    failAll(new MqClosedException("rabbitmq transport closed before the confirm"));
  }
}
