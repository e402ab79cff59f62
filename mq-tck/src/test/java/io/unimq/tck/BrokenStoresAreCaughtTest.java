package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.unimq.api.IdempotencyStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** The store kit tests itself: a store with one fault fails the rules written to catch it. */
class BrokenStoresAreCaughtTest {
  /** Forwards to an in-memory store. */
  abstract static class Forwarding implements IdempotencyStore {
    final IdempotencyStore delegate = IdempotencyStore.inMemory();

    @Override
    public Acquire tryAcquire(String key, Duration lease) {
      return delegate.tryAcquire(key, lease);
    }

    @Override
    public void markDone(String key, Duration ttl) {
      delegate.markDone(key, ttl);
    }

    @Override
    public void release(String key) {
      delegate.release(key);
    }
  }

  /** Releasing forgets a key whatever its state, as a plain delete would: a done key is processed again. */
  public static class ForgetfulStoreKit extends IdempotencyStoreCompatibilityKit {
    @Override
    protected IdempotencyStore openStore() {
      return new Forwarding() {
        @Override
        public void release(String key) {
          delegate.release(key);
          delegate.markDone(key, Duration.ofNanos(1));
        }
      };
    }
  }

  /** A key marked done stays so forever: its TTL is ignored. */
  public static class EverlastingStoreKit extends IdempotencyStoreCompatibilityKit {
    @Override
    protected IdempotencyStore openStore() {
      return new Forwarding() {
        @Override
        public void markDone(String key, Duration ttl) {
          delegate.markDone(key, Duration.ofDays(365));
        }
      };
    }
  }

  @Test
  void aStoreWhoseReleaseForgetsDoneKeysIsCaught() {
    assertThat(failed(ForgetfulStoreKit.class)).containsExactly("[IDEM-9]");
  }

  @Test
  void aStoreThatIgnoresTheTtlIsCaught() {
    assertThat(failed(EverlastingStoreKit.class)).containsExactly("[IDEM-8]");
  }

  private static Set<String> failed(Class<?> kit) {
    Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(kit)).execute().testEvents();
    assertThat(tests.started().count()).as("rules run").isGreaterThan(5);
    assertThat(tests.failed().list()).allSatisfy(e -> assertThat(e.getPayload(TestExecutionResult.class)
        .flatMap(TestExecutionResult::getThrowable)).get().isInstanceOfAny(AssertionError.class, ConditionTimeoutException.class));
    return tests.failed().list().stream().map(e -> e.getTestDescriptor().getDisplayName().split(" ")[0])
        .collect(Collectors.toSet());
  }
}
