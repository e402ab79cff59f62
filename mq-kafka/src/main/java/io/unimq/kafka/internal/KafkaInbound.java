package io.unimq.kafka.internal;

import io.unimq.api.Message;
import io.unimq.spi.InboundMessage;
import java.time.Duration;

/** One fetched record handed to the engine; settling it reports to its partition's tracker. Thread-safe. */
final class KafkaInbound extends PartitionTracker.Slot implements InboundMessage {
  private final KafkaConsumerLoop loop;
  final PartitionTracker tracker;
  private final Message message;

  KafkaInbound(KafkaConsumerLoop loop, PartitionTracker tracker, long offset, Message message) {
    super(offset);
    this.loop = loop;
    this.tracker = tracker;
    this.message = message;
  }

  @Override
  public Message message() {
    return message;
  }

  @Override
  public void ack() {
    if (!tracker.revoked()) { // the partition's new owner gets it again anyway
      settle();
    }
  }

  @Override
  public void retryLater(Message next, Duration delay) {
    loop.sendRetry(next, delay);
    ack();
  }

  @Override
  public void deadLetter(Message dead) {
    loop.sendDead(dead);
    ack();
  }

  @Override
  public boolean revoked() {
    return tracker.revoked();
  }

  @Override
  public void release() {
    unsettle();
  }
}
