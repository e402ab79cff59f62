package io.unimq.rabbit.internal;

import io.unimq.api.Message;
import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.InboundMessage;
import java.time.Duration;

/**
 * One delivery of one queue of a group. Ack goes through the consumer's {@link MultipleAckBatcher};
 * a retry or a dead letter is first sent (with a confirm) to the queue it came from through the
 * delay ladder, or to the group's dead-letter queue, and only then acked, so a failed forward
 * requeues the original instead. Thread-safe: settled once, from any thread.
 */
final class RabbitInbound implements InboundMessage {
  private final RabbitTransport transport;
  private final ConsumerSpec spec;
  private final MultipleAckBatcher acks;
  private final String queue;
  private final long tag;
  /** The channel's epoch at delivery ({@link MultipleAckBatcher#delivered}). */
  private final long epoch;
  private final Message message;

  RabbitInbound(RabbitTransport transport, ConsumerSpec spec, MultipleAckBatcher acks, String queue, long tag, long epoch,
      Message message) {
    this.transport = transport;
    this.spec = spec;
    this.acks = acks;
    this.queue = queue;
    this.tag = tag;
    this.epoch = epoch;
    this.message = message;
  }

  @Override
  public Message message() {
    return message;
  }

  @Override
  public void ack() {
    acks.ack(tag, epoch);
  }

  @Override
  public void retryLater(Message next, Duration delay) {
    forwardThenAck(() -> transport.sendToQueue(queue, next, delay));
  }

  @Override
  public void deadLetter(Message dead) {
    forwardThenAck(() -> transport.sendToQueue(RabbitNames.deadLetterQueue(spec.topic(), spec.group()), dead, Duration.ZERO));
  }

  private void forwardThenAck(Runnable confirmedSend) {
    try {
      confirmedSend.run();
    } catch (RuntimeException e) {
      acks.requeue(tag, epoch);
      throw e;
    }
    ack();
  }

  @Override
  public void release() {
    acks.requeue(tag, epoch);
  }
}
