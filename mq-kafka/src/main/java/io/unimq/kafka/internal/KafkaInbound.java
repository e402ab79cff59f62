package io.unimq.kafka.internal;

import io.unimq.api.Message;
import io.unimq.spi.InboundMessage;
import java.time.Duration;

/**
 * One fetched record handed to the engine; settling it reports to its partition's tracker through
 * its own small {@link PartitionTracker.Slot}. The tracker keeps slots until the next commit (up to
 * 50 ms), so the slot must not be the inbound message: the message and its body would live that
 * long after being handled and, at high rates, outlive young collections. Thread-safe.
 */
final class KafkaInbound implements InboundMessage {
  private final KafkaConsumer loop;
  final PartitionTracker tracker;
  final PartitionTracker.Slot slot;
  private final Message message;

  KafkaInbound(KafkaConsumer loop, PartitionTracker tracker, long offset, Message message) {
    this.loop = loop;
    this.tracker = tracker;
    this.slot = tracker.fetched(new PartitionTracker.Slot(offset));
    this.message = message;
  }

  @Override
  public Message message() {
    return message;
  }

  @Override
  public void ack() {
    if (!tracker.revoked()) { // the partition's new owner gets it again anyway
      slot.settle();
    }
  }

  @Override
  public void retryLater(Message next, Duration delay) {
    loop.sendRetry(next, delay, tracker, slot);
  }

  @Override
  public void deadLetter(Message dead) {
    loop.sendDead(dead, tracker, slot);
  }

  @Override
  public boolean revoked() {
    return tracker.revoked();
  }

  @Override
  public void release() {
    slot.unsettle();
  }
}
