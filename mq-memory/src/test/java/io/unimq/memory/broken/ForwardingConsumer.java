package io.unimq.memory.broken;

import io.unimq.spi.InboundMessage;
import io.unimq.spi.TransportConsumer;
import java.time.Duration;
import java.util.List;

/** A consumer that forwards everything to another. */
public class ForwardingConsumer implements TransportConsumer {
  protected final TransportConsumer delegate;

  public ForwardingConsumer(TransportConsumer delegate) {
    this.delegate = delegate;
  }

  @Override
  public List<InboundMessage> poll(int max, Duration timeout) throws InterruptedException {
    return delegate.poll(max, timeout);
  }

  @Override
  public void idle() {
    delegate.idle();
  }

  @Override
  public void wakeup() {
    delegate.wakeup();
  }

  @Override
  public void pause() {
    delegate.pause();
  }

  @Override
  public void resume() {
    delegate.resume();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
