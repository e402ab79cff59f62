package io.unimq.api;

import io.unimq.api.IdempotencyStore;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/** {@link IdempotencyStore} in one JVM's memory. Expired entries are pruned as the map grows. */
final class InMemoryIdempotencyStore implements IdempotencyStore {
  private record Entry(boolean done, long expiresAtNanos) {
    boolean expired(long now) {
      return now - expiresAtNanos > 0;
    }
  }

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  @Override
  public Acquire tryAcquire(String key, Duration lease) {
    long now = System.nanoTime();
    Acquire[] result = new Acquire[1];
    entries.compute(key, (k, e) -> {
      if (e == null || e.expired(now)) {
        result[0] = Acquire.ACQUIRED;
        return new Entry(false, now + lease.toNanos());
      }
      result[0] = e.done() ? Acquire.DONE : Acquire.IN_PROGRESS;
      return e;
    });
    if (entries.size() > 100_000 && (now & 0xFF) == 0) {
      entries.values().removeIf(e -> e.expired(now));
    }
    return result[0];
  }

  @Override
  public Duration leaseRemaining(String key) {
    Entry e = entries.get(key);
    long now = System.nanoTime();
    return e == null || e.done() || e.expired(now) ? Duration.ZERO : Duration.ofNanos(e.expiresAtNanos() - now);
  }

  @Override
  public void markDone(String key, Duration ttl) {
    entries.put(key, new Entry(true, System.nanoTime() + ttl.toNanos()));
  }

  @Override
  public void release(String key) {
    entries.computeIfPresent(key, (k, e) -> e.done() ? e : null);
  }
}
