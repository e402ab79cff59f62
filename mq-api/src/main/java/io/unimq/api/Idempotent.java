package io.unimq.api;

import java.time.Duration;
import java.util.function.Function;

/**
 * Makes a handler idempotent: a key (the message id, or a business key) that is done is skipped
 * and acked; one being processed elsewhere is retried later; a crash while processing means the
 * key is processed again after the lease ends. Thread-safe.
 *
 * <pre>{@code
 * client.subscribe("prizes", "delivery", Idempotent.wrap(handler, IdempotencyStore.inMemory()));
 * }</pre>
 */
public final class Idempotent {
  public static final Duration DEFAULT_LEASE = Duration.ofMinutes(1);
  public static final Duration DEFAULT_DONE_TTL = Duration.ofDays(1);

  private Idempotent() {}

  /** Keyed by message id. */
  public static MessageHandler wrap(MessageHandler handler, IdempotencyStore store) {
    return wrap(handler, store, Message::id, DEFAULT_LEASE, DEFAULT_DONE_TTL);
  }

  /** Keyed by {@code keyExtractor} (for example an order number in a header). */
  public static MessageHandler wrap(MessageHandler handler, IdempotencyStore store,
      Function<Message, String> keyExtractor, Duration lease, Duration doneTtl) {
    if (handler == null) {
      throw new MqConfigurationException("handler is null; pass the message handler to make idempotent");
    }
    if (store == null) {
      throw new MqConfigurationException("idempotency store is null; pass IdempotencyStore.inMemory() or a shared store");
    }
    if (keyExtractor == null) {
      throw new MqConfigurationException("keyExtractor is null; pass Message::id or a function reading a business key");
    }
    notNull(lease, "lease");
    notNull(doneTtl, "doneTtl");
    return delivery -> {
      String key = keyExtractor.apply(delivery.message());
      if (key == null) {
        throw new MqInvalidMessageException("idempotency key extractor returned null for message " + delivery.id());
      }
      switch (store.tryAcquire(key, lease)) {
        case DONE:
          delivery.ack();
          return;
        case IN_PROGRESS:
          throw new DuplicateInProgressException(key);
        default:
          break;
      }
      try {
        handler.handle(delivery);
      } catch (Exception | Error e) {
        store.release(key);
        throw e;
      }
      store.markDone(key, doneTtl);
    };
  }

  private static void notNull(Duration d, String name) {
    if (d == null) {
      throw new MqConfigurationException(name + " is null; pass a duration such as Duration.ofMinutes(1)");
    }
  }

  /** Thrown (and so retried by policy) when another delivery of the same key is still processing. */
  public static final class DuplicateInProgressException extends MqException {
    private static final long serialVersionUID = 1L;

    public DuplicateInProgressException(String key) {
      super("message key " + key + " is being processed by another delivery; retrying later");
    }
  }
}
