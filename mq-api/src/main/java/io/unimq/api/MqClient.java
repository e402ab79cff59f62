package io.unimq.api;

import java.time.Duration;
import java.util.Set;

/**
 * A connection to one broker, obtained from {@link Mq#connect(String)}. Thread-safe; one per
 * application and broker is the norm. {@link #close()} closes every subscription (draining
 * in-flight handlers), producer and connection it created.
 */
public interface MqClient extends AutoCloseable {
  /** The URI scheme of the adapter, for example {@code kafka}. */
  String scheme();

  Set<Capability> capabilities();

  default boolean supports(Capability capability) {
    return capabilities().contains(capability);
  }

  /** The largest message this broker accepts, as counted by {@link Message#approximateSize()}. */
  int maxMessageSize();

  /** The client's shared producer. */
  Producer producer();

  /**
   * A producer of half messages in {@code producerGroup}; {@code checker} answers check-backs for
   * that group, also for half messages left by other producers of the group.
   *
   * @throws MqUnsupportedException without {@link Capability#TRANSACTIONS}
   */
  TransactionalProducer transactionalProducer(String producerGroup, TransactionChecker checker);

  /** Subscribes with {@link SubscriptionOptions#DEFAULT}. */
  default Subscription subscribe(String topic, String group, MessageHandler handler) {
    return subscribe(topic, group, SubscriptionOptions.DEFAULT, handler);
  }

  /** Declares the group if needed and starts consuming. */
  Subscription subscribe(String topic, String group, SubscriptionOptions options, MessageHandler handler);

  /** Subscribes a batch handler with {@link SubscriptionOptions#DEFAULT}. */
  default Subscription subscribeBatch(String topic, String group, BatchHandler handler) {
    return subscribeBatch(topic, group, SubscriptionOptions.DEFAULT, handler);
  }

  /**
   * Declares the group if needed and starts consuming in batches of at most
   * {@link SubscriptionOptions#batchSize()}, gathered for at most {@link SubscriptionOptions#batchWait()};
   * see {@link BatchHandler} for what is acked and what is retried.
   */
  Subscription subscribeBatch(String topic, String group, SubscriptionOptions options, BatchHandler handler);

  Admin admin();

  /**
   * The dead letters of {@code group} on {@code topic}.
   *
   * @throws MqUnsupportedException without {@link Capability#DEAD_LETTER}
   */
  DeadLetters deadLetters(String topic, String group);

  /**
   * A snapshot of this client: connected or not, the last broker error, and each open subscription
   * with its state. Cheap (no broker call): meant to be polled by health checks.
   */
  Health health();

  boolean isClosed();

  void close(Duration timeout);

  @Override
  default void close() {
    close(SubscriptionOptions.DEFAULT_DRAIN_TIMEOUT);
  }
}
