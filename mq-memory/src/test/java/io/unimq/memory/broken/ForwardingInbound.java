package io.unimq.memory.broken;

import io.unimq.api.Message;
import io.unimq.spi.InboundMessage;
import java.time.Duration;

/** A delivery that forwards everything to another. */
public class ForwardingInbound implements InboundMessage {
  protected final InboundMessage delegate;

  public ForwardingInbound(InboundMessage delegate) {
    this.delegate = delegate;
  }

  @Override
  public Message message() {
    return delegate.message();
  }

  @Override
  public int attempt() {
    return delegate.attempt();
  }

  @Override
  public void ack() {
    delegate.ack();
  }

  @Override
  public void retryLater(Message next, Duration delay) {
    delegate.retryLater(next, delay);
  }

  @Override
  public void deadLetter(Message dead) {
    delegate.deadLetter(dead);
  }

  @Override
  public void release() {
    delegate.release();
  }
}
