package io.unimq.redis.internal;

import io.unimq.api.Message;
import io.unimq.spi.InboundMessage;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/** One entry read by a {@link RedisConsumer}, settled once. Thread-safe. */
final class RedisInbound implements InboundMessage {
  final String stream;
  final String entryId;
  private final Message message;
  private final RedisConsumer consumer;
  private final AtomicBoolean settled = new AtomicBoolean();

  RedisInbound(RedisConsumer consumer, String stream, String entryId, Message message) {
    this.consumer = consumer;
    this.stream = stream;
    this.entryId = entryId;
    this.message = message;
  }

  @Override
  public Message message() {
    return message;
  }

  @Override
  public void ack() {
    if (settled.compareAndSet(false, true)) {
      consumer.ack(this);
    }
  }

  @Override
  public void retryLater(Message next, Duration delay) {
    if (settled.compareAndSet(false, true)) {
      consumer.retryLater(this, next, delay);
    }
  }

  @Override
  public void deadLetter(Message dead) {
    if (settled.compareAndSet(false, true)) {
      consumer.deadLetter(this, dead);
    }
  }

  @Override
  public void release() {
    if (settled.compareAndSet(false, true)) {
      consumer.release(this);
    }
  }

  @Override
  public String toString() {
    return "RedisInbound{" + stream + "/" + entryId + ", id=" + message.id() + "}";
  }
}
