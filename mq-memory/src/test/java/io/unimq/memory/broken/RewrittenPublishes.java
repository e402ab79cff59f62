package io.unimq.memory.broken;

import io.unimq.api.Message;
import io.unimq.api.SendReceipt;
import io.unimq.spi.Transport;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/** A transport that publishes every message rewritten: for adapters that mangle what they send. */
final class RewrittenPublishes extends ForwardingTransport {
  private final UnaryOperator<Message> rewrite;

  RewrittenPublishes(Transport delegate, UnaryOperator<Message> rewrite) {
    super(delegate);
    this.rewrite = rewrite;
  }

  @Override
  public CompletableFuture<SendReceipt> publish(Message message) {
    return delegate.publish(rewrite.apply(message));
  }

  @Override
  public CompletableFuture<List<SendReceipt>> publishBatch(List<Message> messages) {
    return delegate.publishBatch(messages.stream().map(rewrite).toList());
  }
}
