package io.unimq.api.internal;

import io.unimq.api.Message;
import io.unimq.spi.InboundMessage;
import io.unimq.spi.TransportConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The consumer of a transport without dead letters: a delivery the engine would retry later or
 * dead-letter is {@linkplain InboundMessage#release() released} instead, and the broker redelivers
 * it. Thread-safe as the consumer it wraps.
 */
final class ReleasingConsumer implements TransportConsumer {
  private final TransportConsumer delegate;

  ReleasingConsumer(TransportConsumer delegate) {
    this.delegate = delegate;
  }

  @Override
  public List<InboundMessage> poll(int max, Duration timeout) throws InterruptedException {
    List<InboundMessage> polled = delegate.poll(max, timeout);
    List<InboundMessage> out = new ArrayList<>(polled.size());
    for (InboundMessage in : polled) {
      out.add(new Releasing(in));
    }
    return out;
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

  private record Releasing(InboundMessage in) implements InboundMessage {
    @Override
    public Message message() {
      return in.message();
    }

    @Override
    public int attempt() {
      return in.attempt();
    }

    @Override
    public void ack() {
      in.ack();
    }

    @Override
    public void retryLater(Message next, Duration delay) {
      in.release();
    }

    @Override
    public void deadLetter(Message dead) {
      in.release();
    }

    @Override
    public void release() {
      in.release();
    }

    @Override
    public boolean revoked() {
      return in.revoked();
    }
  }
}
