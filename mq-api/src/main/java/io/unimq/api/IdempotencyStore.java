package io.unimq.api;

import java.time.Duration;

/**
 * Where {@link Idempotent} remembers keys. Each key is absent, processing (with a lease) or done
 * (with a TTL). Implementations must be thread-safe and atomic per key across every process that
 * shares the store: in-memory ({@link #inMemory()}), Redis ({@code SET NX PX}), JDBC (unique key).
 */
public interface IdempotencyStore {
  /** The answer to {@link #tryAcquire}. */
  enum Acquire {
    /** The caller now holds the key for {@code lease}; it must call done or release. */
    ACQUIRED,
    /** Another delivery holds the key and its lease has not ended. */
    IN_PROGRESS,
    /** Already processed: skip and ack. */
    DONE
  }

  Acquire tryAcquire(String key, Duration lease);

  /** Marks the key processed; it stays so for {@code ttl}. */
  void markDone(String key, Duration ttl);

  /** Forgets a key that was acquired but failed, so that a retry can process it. */
  void release(String key);

  /**
   * How long the lease of {@code key} has left while another delivery holds it (the answer was
   * {@link Acquire#IN_PROGRESS}): {@link Idempotent} brings the waiting delivery back after that
   * long. {@link Duration#ZERO} when the key is no longer held (done, released or expired): the
   * delivery comes back at once. Null when the store cannot tell: it comes back after a full lease.
   * The default returns null.
   */
  default Duration leaseRemaining(String key) {
    return null;
  }

  /** A store local to this JVM. */
  static IdempotencyStore inMemory() {
    return new InMemoryIdempotencyStore();
  }
}
