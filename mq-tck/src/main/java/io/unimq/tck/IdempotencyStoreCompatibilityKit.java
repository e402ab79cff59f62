package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.IdempotencyStore;
import io.unimq.api.IdempotencyStore.Acquire;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The rules every {@link IdempotencyStore} passes, whatever it stores keys in. A store's test
 * extends this class and opens the store; no broker is involved (how an adapter delivers messages
 * to {@link io.unimq.api.Idempotent} is the {@code Idempotency} area of {@link MqCompatibilityKit}):
 *
 * <pre>{@code
 * class RedisIdempotencyStoreCompatibilityTest extends IdempotencyStoreCompatibilityKit {
 *   protected IdempotencyStore openStore() { return RedisIdempotencyStore.connect(REDIS_URI, prefix); }
 *   protected IdempotencyStore openSharedStore() { return RedisIdempotencyStore.connect(REDIS_URI, prefix); }
 * }
 * }</pre>
 *
 * <p>One instance of the test class runs every rule ({@link TestInstance.Lifecycle#PER_CLASS}):
 * {@link #openStore()} is called once before the rules and {@link #closeStore} once after them.
 * Every rule uses keys of its own, so rules do not see each other's keys and the store may hold
 * other keys. Rule display names carry a stable id and whether the rule is required, as in
 * {@link MqCompatibilityKit}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class IdempotencyStoreCompatibilityKit {
  private final ExecutorService racers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "unimq-tck-store-racer");
    t.setDaemon(true);
    return t;
  });
  private IdempotencyStore store;
  private IdempotencyStore shared;
  private TckTimeouts timeouts;

  /** Opens the store under test; called once, before the rules. */
  protected abstract IdempotencyStore openStore();

  /**
   * A second store over the same storage as {@link #openStore()}'s, as another process would open
   * it; called once, before the rules. Null (the default) for a store local to one JVM: the rule
   * that needs it is skipped.
   */
  protected IdempotencyStore openSharedStore() {
    return null;
  }

  /** Closes a store this kit opened, after the rules. By default closes it if it is {@link AutoCloseable}. */
  protected void closeStore(IdempotencyStore store) throws Exception {
    if (store instanceof AutoCloseable c) {
      c.close();
    }
  }

  /** The timeout scale; by default from {@link TckTimeouts#fromEnvironment()}. */
  protected TckTimeouts timeouts() {
    return TckTimeouts.fromEnvironment();
  }

  @BeforeAll
  final void openTheStores() {
    timeouts = Objects.requireNonNull(timeouts(), "timeouts() returned null");
    store = Objects.requireNonNull(openStore(), "openStore() returned null");
    shared = openSharedStore();
  }

  @AfterAll
  final void closeTheStores() throws Exception {
    racers.shutdownNow();
    try {
      if (shared != null) {
        closeStore(shared);
      }
    } finally {
      if (store != null) {
        closeStore(store);
      }
    }
  }

  private static String key() {
    return TckNames.unique("idem-key");
  }

  @Test
  @DisplayName("[IDEM-4] required: a key is held by one caller at a time until released")
  void aKeyIsHeldByOneCallerUntilReleased() {
    String key = key();
    Duration lease = Duration.ofMinutes(1);
    assertThat(store.tryAcquire(key, lease)).isEqualTo(Acquire.ACQUIRED);
    assertThat(store.tryAcquire(key, lease)).isEqualTo(Acquire.IN_PROGRESS);
    store.release(key);
    assertThat(store.tryAcquire(key, lease)).isEqualTo(Acquire.ACQUIRED);
  }

  @Test
  @DisplayName("[IDEM-5] required: a key marked done is reported done")
  void aDoneKeyIsReportedDone() {
    String key = key();
    assertThat(store.tryAcquire(key, Duration.ofMinutes(1))).isEqualTo(Acquire.ACQUIRED);
    store.markDone(key, Duration.ofMinutes(5));
    assertThat(store.tryAcquire(key, Duration.ofMinutes(1))).isEqualTo(Acquire.DONE);
  }

  @Test
  @DisplayName("[IDEM-6] required: a key whose lease ended can be taken over")
  void aKeyWhoseLeaseEndedCanBeTakenOver() {
    String key = key();
    assertThat(store.tryAcquire(key, Duration.ofMillis(200))).isEqualTo(Acquire.ACQUIRED);
    timeouts.await("lease of " + key + " to end", Duration.ofSeconds(5))
        .until(() -> store.tryAcquire(key, Duration.ofMinutes(1)) == Acquire.ACQUIRED);
  }

  @Test
  @DisplayName("[IDEM-7] required: of many callers racing for one key, exactly one acquires it")
  void exactlyOneOfManyRacingCallersAcquires() throws Exception {
    String key = key();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Acquire>> racing = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      racing.add(racers.submit(() -> {
        start.await();
        return store.tryAcquire(key, Duration.ofMinutes(1));
      }));
    }
    start.countDown();
    List<Acquire> answers = new ArrayList<>();
    for (Future<Acquire> f : racing) {
      answers.add(f.get(timeouts.scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS));
    }
    assertThat(answers).filteredOn(a -> a == Acquire.ACQUIRED).hasSize(1);
    assertThat(answers).filteredOn(a -> a == Acquire.IN_PROGRESS).hasSize(7);
  }

  @Test
  @DisplayName("[IDEM-8] required: a key marked done is forgotten once its TTL ends")
  void aDoneKeyIsForgottenAfterItsTtl() {
    String key = key();
    assertThat(store.tryAcquire(key, Duration.ofMinutes(1))).isEqualTo(Acquire.ACQUIRED);
    store.markDone(key, Duration.ofMillis(300));
    timeouts.await("TTL of " + key + " to end", Duration.ofSeconds(5))
        .until(() -> store.tryAcquire(key, Duration.ofMinutes(1)) == Acquire.ACQUIRED);
  }

  @Test
  @DisplayName("[IDEM-9] required: releasing a key marked done leaves it done")
  void releasingADoneKeyLeavesItDone() {
    String key = key();
    assertThat(store.tryAcquire(key, Duration.ofMinutes(1))).isEqualTo(Acquire.ACQUIRED);
    store.markDone(key, Duration.ofMinutes(5));
    store.release(key);
    assertThat(store.tryAcquire(key, Duration.ofMinutes(1))).isEqualTo(Acquire.DONE);
  }

  @Test
  @DisplayName("[IDEM-10] required: keys are independent: holding or finishing one leaves another absent")
  void keysAreIndependent() {
    String a = key();
    String b = key();
    assertThat(store.tryAcquire(a, Duration.ofMinutes(1))).isEqualTo(Acquire.ACQUIRED);
    assertThat(store.tryAcquire(b, Duration.ofMinutes(1))).as("another key while %s is held", a).isEqualTo(Acquire.ACQUIRED);
    store.markDone(a, Duration.ofMinutes(5));
    store.release(b);
    assertThat(store.tryAcquire(b, Duration.ofMinutes(1))).as("%s after %s was marked done", b, a).isEqualTo(Acquire.ACQUIRED);
  }

  @Test
  @DisplayName("[IDEM-11] optional (openSharedStore): a key held or done in one store is held or done in another over the same storage")
  void aKeyIsSharedByStoresOverTheSameStorage() {
    Assumptions.assumeTrue(shared != null, "openSharedStore() gives no second store: the store is local to one JVM");
    String key = key();
    assertThat(store.tryAcquire(key, Duration.ofMinutes(1))).isEqualTo(Acquire.ACQUIRED);
    assertThat(shared.tryAcquire(key, Duration.ofMinutes(1))).as("the other store, while the key is held").isEqualTo(Acquire.IN_PROGRESS);
    shared.release(key);
    assertThat(shared.tryAcquire(key, Duration.ofMinutes(1))).as("the other store, after it released a key it did not hold")
        .isEqualTo(Acquire.IN_PROGRESS);
    store.markDone(key, Duration.ofMinutes(5));
    assertThat(shared.tryAcquire(key, Duration.ofMinutes(1))).as("the other store, once the key is done").isEqualTo(Acquire.DONE);
  }

  @Test
  @DisplayName("[IDEM-12] required: leaseRemaining, when the store tells it, is what is left of a held key's lease and zero once the key is done or released")
  void leaseRemainingIsWhatIsLeftOfAHeldKeysLease() {
    String key = key();
    Duration lease = Duration.ofMinutes(1);
    assertThat(store.tryAcquire(key, lease)).isEqualTo(Acquire.ACQUIRED);
    Duration held = store.leaseRemaining(key);
    if (held == null) { // a store that cannot tell: Idempotent waits a full lease
      return;
    }
    assertThat(held).as("while held").isGreaterThan(lease.minusSeconds(10)).isLessThanOrEqualTo(lease);
    store.release(key);
    assertThat(store.leaseRemaining(key)).as("once released").isEqualTo(Duration.ZERO);
    assertThat(store.leaseRemaining(key())).as("a key never acquired").isEqualTo(Duration.ZERO);
    assertThat(store.tryAcquire(key, lease)).isEqualTo(Acquire.ACQUIRED);
    store.markDone(key, Duration.ofMinutes(5));
    assertThat(store.leaseRemaining(key)).as("once done").isEqualTo(Duration.ZERO);
  }
}
