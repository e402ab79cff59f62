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
import java.util.concurrent.atomic.AtomicBoolean;
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
 * usable: confirms stay matched to their sends.
 *
 * <p>A channel whose oldest outstanding publish has waited {@code stallTimeout} for its confirm is
 * replaced: a new channel is opened, the old one's outstanding publishes fail with {@link
 * MqConnectionException} (the engine sends them again, same id, on the new channel) and the old one
 * is closed. RabbitMQ can leave a channel's publishes to one quorum queue unconfirmed for good after
 * that queue's leader was lost, while the channel's other publishes are confirmed; a new channel is
 * a new publisher session for every queue. Not while the broker blocks the connection (a memory or
 * disk alarm holds every confirm; they come when it ends). Thread-safe.
 */
final class Publisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Publisher.class);

  private final Connection connection;
  private final Object lock = new Object();
  private final Semaphore window;
  private final Duration timeout;
  private final Duration stallTimeout;
  private final Executor completions;
  private final Executor replacer;
  private final String address;
  private final Consumer<Return> onReturn;
  private final AtomicLong unroutable = new AtomicLong();
  private final AtomicBoolean replacing = new AtomicBoolean();
  /** The broker blocked the connection (a resource alarm): confirms wait for it, a new channel would not help. */
  private volatile boolean blocked;
  private volatile Confirms current;
  private volatile boolean closed;

  /** One channel and the publishes it has not confirmed yet. */
  private final class Confirms {
    final Channel channel;
    final ConcurrentNavigableMap<Long, Pending> outstanding = new ConcurrentSkipListMap<>();
    /**
     * Sequence numbers the client gave to publishes that failed before reaching the broker (it numbers
     * a publish before encoding it), since the channel was last opened; guarded by {@code lock}.
     * Outstanding confirms are keyed by the broker's numbers: the client's less this.
     */
    long skipped;
    /** The client's sequence number of the last publish; guarded by {@code lock}. */
    long lastSeq;

    Confirms(Channel channel) {
      this.channel = channel;
    }
  }

  private record Pending(CompletableFuture<Void> future, long sentNanos) {
  }

  /**
   * @param stallTimeout how long the oldest outstanding publish may wait for its confirm before the
   *     channel is replaced ({@link #checkStalled()})
   * @param replacer runs the replacement (opening a channel can wait for the broker)
   */
  Publisher(Connection connection, int windowSize, Duration timeout, Duration stallTimeout, Executor completions,
      Executor replacer, String address, Consumer<Return> onReturn) throws IOException {
    this.connection = connection;
    this.window = new Semaphore(windowSize);
    this.timeout = timeout;
    this.stallTimeout = stallTimeout;
    this.completions = completions;
    this.replacer = replacer;
    this.address = address;
    this.onReturn = onReturn;
    connection.addBlockedListener(reason -> blocked = true, () -> blocked = false);
    this.current = open();
  }

  private Confirms open() throws IOException {
    Confirms c = new Confirms(connection.createChannel());
    c.channel.confirmSelect();
    c.channel.addConfirmListener((seq, multiple) -> settle(c, seq, multiple, null),
        (seq, multiple) -> settle(c, seq, multiple, new MqException("the broker refused the message (basic.nack); it is not stored")));
    c.channel.addReturnListener(r -> {
      unroutable.incrementAndGet();
      onReturn.accept(r);
    });
    c.channel.addShutdownListener(cause -> failAll(c, RabbitErrors.unavailable("get the confirm from " + address + " (channel closed)", cause)));
    return c;
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
            + current.outstanding.size() + " outstanding messages within " + timeout, null));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(new MqException("interrupted while waiting for the confirm window", e));
    }
    CompletableFuture<Void> f = new CompletableFuture<>();
    f.whenComplete((v, e) -> window.release());
    synchronized (lock) {
      Confirms c = current;
      Channel channel = c.channel;
      long next = channel.getNextPublishSeqNo();
      if (next < c.lastSeq) {
        c.skipped = 0; // a recovered channel numbers its publishes from 1 again, as does the broker
      }
      long seq = next - c.skipped;
      Pending p = new Pending(f, System.nanoTime());
      c.outstanding.put(seq, p);
      try {
        channel.basicPublish(exchange, routingKey, mandatory, props, body);
        c.lastSeq = next;
      } catch (IOException | RuntimeException e) {
        long after = channel.getNextPublishSeqNo();
        if (after > next) {
          // the client numbered the publish before encoding it, but nothing reached the broker,
          // which numbers the next publish as this one: confirms would match the wrong sends
          c.skipped += after - next;
          c.lastSeq = after;
        }
        if (c.outstanding.remove(seq, p)) {
          fail(f, e instanceof IllegalArgumentException
              ? new MqInvalidMessageException("RabbitMQ cannot carry the message: " + e.getMessage())
              : RabbitErrors.unavailable("publish to " + address, e));
        }
      }
    }
    return f;
  }

  /**
   * Replaces the channel (asynchronously, on the replacer) when its oldest outstanding publish has
   * waited {@code stallTimeout} for its confirm while the connection is open; call it periodically.
   */
  void checkStalled() {
    try {
      replaceIfStalled();
    } catch (RuntimeException e) {
      log.debug("checking the publishing channel to {} failed: {}", address, e.toString());
    }
  }

  private void replaceIfStalled() {
    Confirms c = current;
    Map.Entry<Long, Pending> oldest = c.outstanding.firstEntry();
    if (closed || blocked || oldest == null || !stalled(oldest) || !connection.isOpen() || !c.channel.isOpen()
        || !replacing.compareAndSet(false, true)) {
      return;
    }
    replacer.execute(() -> {
      try {
        replace(c, oldest.getValue().sentNanos());
      } finally {
        replacing.set(false);
      }
    });
  }

  private boolean stalled(Map.Entry<Long, Pending> oldest) {
    return System.nanoTime() - oldest.getValue().sentNanos() >= stallTimeout.toNanos();
  }

  /** Opens a new channel and, if the old one is still stalled, makes it current and fails the old one's publishes. */
  private void replace(Confirms stalled, long oldestSentNanos) {
    Confirms fresh;
    try {
      fresh = open();
    } catch (IOException | RuntimeException e) {
      log.warn("publishing channel to {}: {} publish(es) unconfirmed for {} ms and a new channel could not be opened: {}",
          address, stalled.outstanding.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - oldestSentNanos), e.toString());
      return;
    }
    synchronized (lock) {
      Map.Entry<Long, Pending> oldest = stalled.outstanding.firstEntry();
      if (closed || current != stalled || blocked || oldest == null || !stalled(oldest)) {
        RabbitErrors.closeQuietly(fresh.channel);
        return;
      }
      current = fresh;
    }
    log.warn("publishing channel to {} replaced: {} publish(es) unconfirmed, the oldest for {} ms (stallTimeout {});"
        + " they fail as transient, to be sent again", address, stalled.outstanding.size(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - oldestSentNanos), stallTimeout);
    failAll(stalled, new MqConnectionException("no confirm from " + address + " within " + stallTimeout
        + " while the connection was open; the publishing channel was replaced and the message may or may not be stored", null));
    RabbitErrors.closeQuietly(stalled.channel);
  }

  /** I/O thread: takes the frame's futures out of the window and completes them all in one task. */
  private void settle(Confirms c, long seq, boolean multiple, MqException nack) {
    List<CompletableFuture<Void>> done = new ArrayList<>();
    if (multiple) {
      for (Map.Entry<Long, Pending> e : c.outstanding.headMap(seq, true).entrySet()) {
        if (c.outstanding.remove(e.getKey(), e.getValue())) {
          done.add(e.getValue().future());
        }
      }
    } else {
      Pending p = c.outstanding.remove(seq);
      if (p != null) {
        done.add(p.future());
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

  private void failAll(Confirms c, MqException cause) {
    if (!c.outstanding.isEmpty() && !closed && current == c) {
      log.warn("publishing channel to {} closed with {} unconfirmed message(s): {}", address, c.outstanding.size(), cause.getMessage());
    }
    for (Long seq : c.outstanding.keySet()) {
      Pending p = c.outstanding.remove(seq);
      if (p != null) {
        fail(p.future(), cause);
      }
    }
  }

  @Override
  public void close() {
    Confirms c;
    synchronized (lock) {
      closed = true;
      c = current;
    }
    failAll(c, new MqClosedException("rabbitmq transport closed before the confirm"));
    RabbitErrors.closeQuietly(c.channel);
  }
}
