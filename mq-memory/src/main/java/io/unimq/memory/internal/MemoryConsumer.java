package io.unimq.memory.internal;

import io.unimq.spi.InboundMessage;
import io.unimq.spi.TransportConsumer;
import java.time.Duration;
import java.util.List;

/** A consumer of one memory group. */
final class MemoryConsumer implements TransportConsumer {
  final String id;
  final boolean ordered;
  private final MemoryGroup group;
  private volatile boolean wakeup;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  MemoryConsumer(MemoryGroup group, String id, boolean ordered) {
    this.group = group;
    this.id = id;
    this.ordered = ordered;
    group.consumers.incrementAndGet();
  }

  @Override
  public List<InboundMessage> poll(int max, Duration timeout) throws InterruptedException {
    return group.poll(this, max, timeout);
  }

  boolean consumeWakeup() {
    boolean w = wakeup;
    wakeup = false;
    return w;
  }

  @Override
  public void wakeup() {
    wakeup = true;
    group.wakeAll();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      group.consumers.decrementAndGet();
    }
    group.releaseAll(this);
  }
}
