package io.unimq.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Sends messages. Thread-safe; share one per client.
 *
 * <p>A send completes only when the broker holds the message as durably as it can promise. It
 * completes or fails within the client's {@code sendTimeout} (default 30 s) from the call, on every
 * broker: inside that budget, failed or ambiguous attempts are retried with the same id (while the
 * connection is lost, as during a broker restart, until it is back; a failure the broker reports, at
 * most {@code sendRetries} times; while a send with a key is retried, the key's later sends wait for
 * it and follow in send order), then the send fails with {@link MqSendException}, whose
 * {@link MqSendException#outcomeUnknown()} says whether the broker may still hold the message.
 * Invalid input fails at once with {@link MqInvalidMessageException}, before the network, and a
 * send on a closed client throws {@link MqClosedException}: both are thrown by {@code sendAsync}
 * itself, not through the returned stage. Producers never deduplicate: a message sent twice with
 * the same id is delivered twice, and consumers deduplicate ({@link Idempotent}).
 */
public interface Producer extends AutoCloseable {
  CompletionStage<SendReceipt> sendAsync(Message message);

  /** Sends and waits for the broker's confirmation. */
  SendReceipt send(Message message);

  /** Sends all, letting the adapter batch; the stage completes when every one is confirmed. */
  CompletionStage<List<SendReceipt>> sendBatchAsync(List<Message> messages);

  /**
   * Sends all and waits until every one is confirmed. The default sends one at a time with
   * {@link #send}; the producers of {@link MqClient#producer()} let the adapter batch.
   */
  default List<SendReceipt> sendBatch(List<Message> messages) {
    List<SendReceipt> receipts = new ArrayList<>(messages.size());
    for (Message m : messages) {
      receipts.add(send(m));
    }
    return receipts;
  }

  /** Waits for outstanding sends up to {@code timeout}, then releases resources. */
  void close(Duration timeout);

  @Override
  default void close() {
    close(Duration.ofSeconds(30));
  }
}
