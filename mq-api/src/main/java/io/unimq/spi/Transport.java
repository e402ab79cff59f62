package io.unimq.spi;

import io.unimq.api.Message;
import io.unimq.api.SendReceipt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What an adapter does: move bytes. Policy (validation, ids, send retries, ordering, concurrency,
 * retry decisions and backoff, dead-letter envelopes, dedup, metrics, drain on close) lives in the
 * engine, which calls this. Implementations must be thread-safe.
 *
 * <p>Names reaching a transport are already validated: {@code [A-Za-z0-9_-]{1,100}}.
 */
public interface Transport extends AutoCloseable {
  /** The largest {@link Message#approximateSize()} accepted. Larger messages never reach {@link #publish}. */
  int maxMessageSize();

  /**
   * Publishes one message to every group of its topic, completing when the broker holds it durably.
   * A message with a future {@link Message#deliverAt()} must not become visible before then (native
   * timer or an emulation that survives restarts). Complete exceptionally with
   * {@link io.unimq.api.MqConnectionException} (or another cause) on failure; the engine retries
   * with the same id.
   */
  CompletableFuture<SendReceipt> publish(Message message);

  /**
   * Where a transport reports the outcome of one {@link #publish(Message, PublishCallback)}: a
   * receipt, or the cause of the failure. Called once per publish, on whatever thread learns the
   * outcome (often the client's I/O thread), so it must return quickly and never block.
   */
  @FunctionalInterface
  interface PublishCallback {
    void published(SendReceipt receipt, Throwable error);
  }

  /**
   * Publishes like {@link #publish(Message)} and reports the outcome to {@code callback} exactly once
   * instead of completing a future; this is what the engine's send path calls. The default adapts
   * {@link #publish(Message)}. Override it where the client has its own completion callback (as
   * Kafka's {@code Callback}): it saves a future and its completion stage per message.
   */
  default void publish(Message message, PublishCallback callback) {
    CompletableFuture<SendReceipt> f;
    try {
      f = publish(message);
    } catch (RuntimeException e) {
      callback.published(null, e);
      return;
    }
    f.whenComplete(callback::published);
  }

  /**
   * The broker's limits on a message's id, key and headers, which the engine checks before
   * {@link #publish}; {@link MessageLimits#NONE} (the default) when there are none beyond
   * {@link #maxMessageSize()}. Declare every limit the broker or its client enforces, so that a
   * message it cannot carry fails as {@link io.unimq.api.MqInvalidMessageException} instead of
   * reaching the network.
   */
  default MessageLimits messageLimits() {
    return MessageLimits.NONE;
  }

  /**
   * How the client times and retries sends, when it does so on its own, or null (the default) to
   * let the engine time out and retry every send. Only a client with its own delivery timeout and
   * idempotent retries (Kafka) needs this.
   */
  default SendTiming sendTiming() {
    return null;
  }

  /**
   * {@link #publish(Message)} for a transport whose own path is {@link #publish(Message, PublishCallback)}:
   * a future that the callback completes. Implement {@code publish(Message)} as
   * {@code return Transport.viaCallback(this, message);}.
   */
  static CompletableFuture<SendReceipt> viaCallback(Transport transport, Message message) {
    CompletableFuture<SendReceipt> f = new CompletableFuture<>();
    transport.publish(message, (receipt, error) -> {
      if (error == null) {
        f.complete(receipt);
      } else {
        f.completeExceptionally(error);
      }
    });
    return f;
  }

  /** Publishes several; override where the broker benefits from batching. */
  default CompletableFuture<List<SendReceipt>> publishBatch(List<Message> messages) {
    List<CompletableFuture<SendReceipt>> all = new ArrayList<>(messages.size());
    for (Message m : messages) {
      all.add(publish(m));
    }
    return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
      List<SendReceipt> out = new ArrayList<>(all.size());
      all.forEach(f -> out.add(f.join()));
      return out;
    });
  }

  /** Creates the topic if missing. Idempotent. */
  void declareTopic(String topic);

  /**
   * Creates the group if missing, positioned at the end of the topic: it keeps every message
   * published after this returns and none before. {@code ordered} tells the adapter to lay out the
   * group for key-ordered consumption (partitions, FIFO groups, single-active consumers). Idempotent.
   */
  void declareGroup(String topic, String group, boolean ordered);

  /**
   * Opens a consumer for a declared group. The engine polls it from one thread and acts on the
   * returned deliveries from its worker threads.
   */
  TransportConsumer openConsumer(ConsumerSpec spec);

  /** Published and not yet acked by the group: waiting plus in flight. */
  long lag(String topic, String group);

  /**
   * Listing of topics and groups and deletion of groups, or null (the default) when the broker cannot
   * list them. Must agree with {@link io.unimq.api.Capability#LISTING} in
   * {@link MqProvider#capabilities()}: the engine refuses to connect otherwise.
   */
  default TopologyListing listing() {
    return null;
  }

  /**
   * Dead letters and delayed retry of failed messages, or null (the default) when unsupported. Must
   * agree with {@link io.unimq.api.Capability#DEAD_LETTER} in {@link MqProvider#capabilities()}:
   * the engine refuses to connect otherwise. Without it the engine never calls
   * {@link InboundMessage#retryLater} nor {@link InboundMessage#deadLetter}: it
   * {@linkplain InboundMessage#release() releases} a failed delivery, and the broker redelivers it.
   */
  default DeadLetterStore deadLetterStore() {
    return null;
  }

  /**
   * Native half messages, or null to let the engine emulate them over {@link #halfMessageStore()}.
   * One of the two must be offered exactly when the provider declares
   * {@link io.unimq.api.Capability#TRANSACTIONS}: the engine refuses to connect otherwise.
   */
  default TransactionSupport transactions() {
    return null;
  }

  /** Durable storage for emulated half messages, or null when transactions are unsupported or native. */
  default HalfMessageStore halfMessageStore() {
    return null;
  }

  /** Releases connections. Consumers and publishes have been closed or completed before. */
  @Override
  void close();
}
