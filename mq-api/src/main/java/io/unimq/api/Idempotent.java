package io.unimq.api;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Makes a handler idempotent: a key (the message id, or a business key) that is done is skipped
 * and acked; a crash while processing means the key is processed again after the lease ends.
 * Thread-safe.
 *
 * <p>A delivery that meets a key another delivery holds (processing elsewhere, or held by a
 * consumer that crashed mid-handler) first looks at the store again for up to {@link #HOLDER_WAIT}
 * on its handler thread (at 10 ms, then doubling to at most 200 ms apart): a copy delivered while its
 * twin is being handled is acked as soon as the twin is done (or handled if the twin failed), not a
 * lease later. A key still held after that waits for its lease: the handler throws
 * {@link DuplicateInProgressException} carrying the lease's remaining time
 * ({@link IdempotencyStore#leaseRemaining}), and the subscription brings the delivery back after
 * that long. Waiting for the lease is not a failure: it holds no handler thread, ignores the retry
 * policy and does not count as an attempt, so the delivery never ends in the dead letters for it,
 * whatever the lease and the retry schedule. After a consumer crash its keys are processed once, within about
 * one lease of the broker's redelivery. A key held by a delivery of an ordered subscription's key
 * holds back that key's later messages while it waits.
 *
 * <pre>{@code
 * client.subscribe("prizes", "delivery", Idempotent.wrap(handler, IdempotencyStore.inMemory()));
 * }</pre>
 */
public final class Idempotent {
  public static final Duration DEFAULT_LEASE = Duration.ofMinutes(1);
  public static final Duration DEFAULT_DONE_TTL = Duration.ofDays(1);
  /**
   * How long a delivery that meets a held key keeps looking at the store on its handler thread
   * before it waits for the lease instead.
   */
  public static final Duration HOLDER_WAIT = Duration.ofSeconds(1);
  private static final long FIRST_LOOK_MILLIS = 10;
  private static final long MAX_LOOK_MILLIS = 200;
  /** Added to a lease's remaining time before a waiting delivery comes back. */
  private static final Duration LEASE_MARGIN = Duration.ofMillis(100);

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
      switch (acquire(store, key, lease)) {
        case DONE:
          delivery.ack();
          return;
        case IN_PROGRESS:
          Duration left = store.leaseRemaining(key);
          throw new DuplicateInProgressException(key, (left == null ? lease : left).plus(LEASE_MARGIN));
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

  /** Acquires {@code key}, looking again for up to {@link #HOLDER_WAIT} while another delivery holds it. */
  private static IdempotencyStore.Acquire acquire(IdempotencyStore store, String key, Duration lease) {
    IdempotencyStore.Acquire answer = store.tryAcquire(key, lease);
    long deadline = System.nanoTime() + HOLDER_WAIT.toNanos();
    long pause = FIRST_LOOK_MILLIS;
    while (answer == IdempotencyStore.Acquire.IN_PROGRESS) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        return answer;
      }
      try {
        Thread.sleep(Math.min(pause, left));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // closing: wait for the lease instead
        return answer;
      }
      pause = Math.min(pause * 2, MAX_LOOK_MILLIS);
      answer = store.tryAcquire(key, lease);
    }
    return answer;
  }

  private static void notNull(Duration d, String name) {
    if (d == null) {
      throw new MqConfigurationException(name + " is null; pass a duration such as Duration.ofMinutes(1)");
    }
  }

  /**
   * Thrown when another delivery holds the same key: the subscription brings the delivery back after
   * {@link #retryAfter()}, without counting an attempt or consulting the retry policy. Immutable.
   */
  public static final class DuplicateInProgressException extends MqException {
    private static final long serialVersionUID = 1L;
    private final Duration retryAfter;

    /** Comes back after one second. */
    public DuplicateInProgressException(String key) {
      this(key, Duration.ofSeconds(1));
    }

    /** Comes back after {@code retryAfter} (the holder's remaining lease). */
    public DuplicateInProgressException(String key, Duration retryAfter) {
      super("message key " + key + " is being processed by another delivery; waiting " + retryAfter.toMillis()
          + " ms for its lease");
      this.retryAfter = retryAfter;
    }

    /** When the delivery should come back: when the other delivery's lease ends. */
    public Duration retryAfter() {
      return retryAfter;
    }
  }
}
