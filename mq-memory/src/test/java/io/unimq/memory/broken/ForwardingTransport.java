package io.unimq.memory.broken;

import io.unimq.api.Message;
import io.unimq.api.SendReceipt;
import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.DeadLetterStore;
import io.unimq.spi.HalfMessageStore;
import io.unimq.spi.MessageLimits;
import io.unimq.spi.Transport;
import io.unimq.spi.TransactionSupport;
import io.unimq.spi.TransportConsumer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A transport that forwards everything to another; broken adapters override what they break. */
public class ForwardingTransport implements Transport {
  protected final Transport delegate;

  public ForwardingTransport(Transport delegate) {
    this.delegate = delegate;
  }

  @Override
  public int maxMessageSize() {
    return delegate.maxMessageSize();
  }

  @Override
  public MessageLimits messageLimits() {
    return delegate.messageLimits();
  }

  @Override
  public CompletableFuture<SendReceipt> publish(Message message) {
    return delegate.publish(message);
  }

  @Override
  public CompletableFuture<List<SendReceipt>> publishBatch(List<Message> messages) {
    return delegate.publishBatch(messages);
  }

  @Override
  public void declareTopic(String topic) {
    delegate.declareTopic(topic);
  }

  @Override
  public void declareGroup(String topic, String group, boolean ordered) {
    delegate.declareGroup(topic, group, ordered);
  }

  @Override
  public TransportConsumer openConsumer(ConsumerSpec spec) {
    return delegate.openConsumer(spec);
  }

  @Override
  public long lag(String topic, String group) {
    return delegate.lag(topic, group);
  }

  @Override
  public DeadLetterStore deadLetterStore() {
    return delegate.deadLetterStore();
  }

  @Override
  public io.unimq.spi.TopologyListing listing() {
    return delegate.listing();
  }

  @Override
  public TransactionSupport transactions() {
    return delegate.transactions();
  }

  @Override
  public HalfMessageStore halfMessageStore() {
    return delegate.halfMessageStore();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
