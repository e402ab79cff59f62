package io.unimq.memory.internal;

import io.unimq.api.GroupInfo;
import io.unimq.api.Message;
import io.unimq.api.MqClosedException;
import io.unimq.api.SendReceipt;
import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.DeadLetterStore;
import io.unimq.spi.HalfMessageStore;
import io.unimq.spi.TopologyListing;
import io.unimq.spi.Transport;
import io.unimq.spi.TransportConsumer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The memory adapter's transport: every operation is a call on the shared {@link MemoryBroker}. Thread-safe.
 *
 * <p>Internal and unstable: public only for {@link io.unimq.memory.MemoryProvider}; not part of unimq's API and may change
 * in any release.
 */
public final class MemoryTransport implements Transport, TopologyListing {
  private final MemoryBroker broker;
  private final int maxMessageSize;
  private volatile boolean closed;
  private final DeadLetterStore deadLetters;

  /** Connects to the broker named in {@code settings}, creating it if this JVM has none of that name. */
  public MemoryTransport(MemorySettings settings) {
    this.broker = MemoryBroker.named(settings.name());
    this.maxMessageSize = settings.maxMessageSize();
    this.deadLetters = new MemoryDeadLetters(broker);
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
  public TopologyListing listing() {
    return this;
  }

  @Override
  public List<String> topics() {
    return broker.topics();
  }

  @Override
  public List<GroupInfo> groups(String topic) {
    return broker.groups(topic);
  }

  @Override
  public void deleteGroup(String topic, String group) {
    broker.deleteGroup(topic, group);
  }

  @Override
  public DeadLetterStore deadLetterStore() {
    return deadLetters;
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
