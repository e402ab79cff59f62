package io.unimq.memory.internal;

import io.unimq.api.Message;
import io.unimq.spi.InboundMessage;
import java.time.Duration;

/** A message handed to a consumer of a {@link MemoryGroup}; settled once (later calls do nothing). Thread-safe. */
final class MemoryInbound implements InboundMessage {
  final long seq;
  final Message message;
  final MemoryConsumer consumer;
  private final MemoryGroup group;

  MemoryInbound(MemoryGroup group, long seq, Message message, MemoryConsumer consumer) {
    this.group = group;
    this.seq = seq;
    this.message = message;
    this.consumer = consumer;
  }

  @Override
  public Message message() {
    return message;
  }

  @Override
  public void ack() {
    group.settle(this, false);
  }

  @Override
  public void retryLater(Message next, Duration delay) {
    group.retryLater(this, next, delay);
  }

  @Override
  public void deadLetter(Message dead) {
    group.deadLetter(this, dead);
  }

  @Override
  public void release() {
    group.settle(this, true);
  }
}
