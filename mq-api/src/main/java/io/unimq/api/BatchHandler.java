package io.unimq.api;

import java.util.List;

/**
 * Handles a batch of deliveries, for handlers that write to a database or call a service in bulk;
 * subscribe with {@link MqClient#subscribeBatch}. A batch holds at most
 * {@link SubscriptionOptions#batchSize()} deliveries: what the subscription fetched until it had
 * that many, or until {@link SubscriptionOptions#batchWait()} after the first one arrived. The list
 * is unmodifiable and in fetch order.
 *
 * <p>Returning normally acks every delivery of the batch (in {@link AckMode#AUTO}). Throwing
 * {@link BatchFailedException} acks the deliveries before its {@link BatchFailedException#index()},
 * retries the one at the index by the subscription's {@link RetryPolicy} (and moves it to the dead
 * letters once exhausted), and hands the ones after it to a later batch without counting an
 * attempt. Throwing anything else fails every delivery of the batch: each is retried (or
 * dead-lettered) by the policy on its own, and retries may arrive in different batches.
 *
 * <p>Called concurrently from up to {@code concurrency} threads with different batches. On an
 * ordered subscription a batch holds at most one message per key, and the next message of a key
 * comes in a later batch once the previous one is settled, so per-key order holds inside and across
 * batches.
 *
 * <p>Tracing: a batch has no single parent, so a batch handler continues no message's trace. With
 * OpenTelemetry spans on, each call is a CONSUMER span {@code process <topic>} with
 * {@code messaging.batch.message_count} and a link to each message's context, current while it runs:
 * messages the handler sends join that span's trace. Without them, no trace context is current and
 * the SLF4J MDC has no {@code traceparent}: messages the handler sends carry none unless it sets one
 * (copy {@code delivery.message().header("traceparent")} onto a message to continue that message's
 * trace).
 */
@FunctionalInterface
public interface BatchHandler {
  void handle(List<Delivery> batch) throws Exception;
}
