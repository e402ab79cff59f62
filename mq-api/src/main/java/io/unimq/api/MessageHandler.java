package io.unimq.api;

/**
 * Handles one delivery. Returning normally acks it (in {@link AckMode#AUTO}); throwing retries it by
 * the subscription's {@link RetryPolicy}. Called concurrently from up to {@code concurrency}
 * threads, but never concurrently for two messages of the same key on an ordered subscription.
 */
@FunctionalInterface
public interface MessageHandler {
  void handle(Delivery delivery) throws Exception;
}
