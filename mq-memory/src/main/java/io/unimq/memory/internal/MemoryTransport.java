package io.unimq.memory.internal;

import io.unimq.api.Message;
import io.unimq.api.MqClosedException;
import io.unimq.api.SendReceipt;
import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.DeadLetterStore;
import io.unimq.spi.HalfMessageStore;
import io.unimq.spi.Transport;
import io.unimq.spi.TransportConsumer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The memory adapter's transport: every operation is a call on the shared {@link MemoryBroker}. */
public final class MemoryTransport implements Transport {
  private final MemoryBroker broker;
  private final int maxMessageSize;
  private volatile boolean closed;

  public MemoryTransport(MemoryBroker broker, int maxMessageSize) {
    this.broker = broker;
    this.maxMessageSize = maxMessageSize;
  }

  @Override
  public int maxMessageSize() {
    return maxMessageSize;
  }

  @Override
  public CompletableFuture<SendReceipt> publish(Message message) {
    if (closed) {
      return CompletableFuture.failedFuture(new MqClosedException("memory transport is closed"));
    }
    broker.publish(message);
    return CompletableFuture.completedFuture(SendReceipt.of(message, message.topic(), null));
  }

  @Override
  public void declareTopic(String topic) {
    broker.declareTopic(topic);
  }

  @Override
  public void declareGroup(String topic, String group, boolean ordered) {
    broker.declareGroup(topic, group);
  }

  @Override
  public TransportConsumer openConsumer(ConsumerSpec spec) {
    return new MemoryConsumer(broker.group(spec.topic(), spec.group()), spec.consumerId(), spec.ordered());
  }

  @Override
  public long lag(String topic, String group) {
    return broker.group(topic, group).lag();
  }

  @Override
  public DeadLetterStore deadLetters(String topic, String group) {
    MemoryGroup g = broker.group(topic, group);
    return new DeadLetterStore() {
      @Override
      public long count() {
        return g.deadCount();
      }

      @Override
      public List<Message> peek(int max) {
        return g.peekDead(max);
      }

      @Override
      public long replay() {
        return g.replayDead();
      }

      @Override
      public long purge() {
        return g.purgeDead();
      }
    };
  }

  @Override
  public HalfMessageStore halfMessageStore() {
    return broker.halfStore;
  }

  @Override
  public void close() {
    closed = true;
  }
}
