package io.unimq.outbox;

import io.unimq.api.Message;
import io.unimq.api.MqConnectionException;
import io.unimq.api.Producer;
import io.unimq.api.SendReceipt;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A real producer with a switch in front: while "down" every send fails before it reaches the
 * broker (as with a broker that is unreachable), and a failure rate drops a share of sends the
 * same way. Records every confirmed send in confirmation order. Thread-safe.
 */
final class TestProducer implements Producer {
  private final Producer delegate;
  private volatile boolean down;
  private volatile double failureRate;
  private volatile Consumer<Message> afterConfirm = m -> {};
  final ConcurrentLinkedQueue<Message> confirmed = new ConcurrentLinkedQueue<>();
  final ConcurrentHashMap<String, AtomicInteger> confirmedById = new ConcurrentHashMap<>();
  final AtomicInteger refused = new AtomicInteger();

  TestProducer(Producer delegate) {
    this.delegate = delegate;
  }

  void down(boolean down) {
    this.down = down;
  }

  void failureRate(double rate) {
    this.failureRate = rate;
  }

  void afterConfirm(Consumer<Message> hook) {
    this.afterConfirm = hook;
  }

  @Override
  public CompletionStage<SendReceipt> sendAsync(Message message) {
    if (down || ThreadLocalRandom.current().nextDouble() < failureRate) {
      refused.incrementAndGet();
      return CompletableFuture.failedFuture(new MqConnectionException("test: broker unreachable", null));
    }
    return delegate.sendAsync(message).thenApply(r -> {
      confirmed.add(message);
      confirmedById.computeIfAbsent(message.id(), k -> new AtomicInteger()).incrementAndGet();
      afterConfirm.accept(message);
      return r;
    });
  }

  @Override
  public SendReceipt send(Message message) {
    return sendAsync(message).toCompletableFuture().join();
  }

  @Override
  public CompletionStage<List<SendReceipt>> sendBatchAsync(List<Message> messages) {
    throw new UnsupportedOperationException("the relay sends one by one");
  }

  @Override
  public void close(Duration timeout) {}
}
