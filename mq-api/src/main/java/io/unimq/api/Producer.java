package io.unimq.api;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Sends messages. Thread-safe; share one per client.
 *
 * <p>A send completes only when the broker holds the message as durably as it can promise. Failed
 * or ambiguous sends are retried with the same id, then fail with {@link MqSendException}.
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

  default List<SendReceipt> sendBatch(List<Message> messages) {
    return io.unimq.api.internal.Futures.join(sendBatchAsync(messages), "send batch");
  }

  /** Waits for outstanding sends up to {@code timeout}, then releases resources. */
  void close(Duration timeout);

  @Override
  default void close() {
    close(Duration.ofSeconds(30));
  }
}
