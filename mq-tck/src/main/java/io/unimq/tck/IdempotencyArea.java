package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Capability;
import io.unimq.api.IdempotencyStore;
import io.unimq.api.Idempotent;
import io.unimq.api.Message;
import io.unimq.tck.Recorder.Received;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@code Idempotency} area's rules: a key processed once is not processed again. Run as {@link
 * MqCompatibilityKit.Idempotency}.
 */
abstract class IdempotencyArea extends KitArea {
  IdempotencyArea(MqCompatibilityKit kit) {
    super(kit);
  }

  final String topic = name("idem");
  final String group = name("idem-g");
  final Recorder r = recorder();
  final AtomicInteger sideEffects = new AtomicInteger();
  /** The adapter is under test here, not the store: stores have {@link IdempotencyStoreCompatibilityKit}. */
  final IdempotencyStore store = IdempotencyStore.inMemory();

  @Test
  @DisplayName("[IDEM-1] required: the same id published twice has one side effect")
  void theSameIdPublishedTwiceHasOneSideEffect() {
    client().subscribe(topic, group, options().toBuilder().concurrency(1).build(),
        r.handler("c", Idempotent.wrap(d -> sideEffects.incrementAndGet(), store)));
    String id = name("idem-id");
    send(client(), Message.builder(topic).id(id).body("charge").build());
    send(client(), Message.builder(topic).id(id).body("charge").build());
    r.awaitDeliveries(id, 2, retrySchedule(fastRetry()));
    t().holdsFor("one side effect", QUIET, () -> assertThat(sideEffects.get()).as("side effects").isEqualTo(1));
  }

  @Test
  @DisplayName("[IDEM-2] required: a business key extractor deduplicates messages with different ids")
  void aBusinessKeyDeduplicatesDifferentIds() {
    String order = name("order");
    client().subscribe(topic, group, options().toBuilder().concurrency(1).build(),
        r.handler("c", Idempotent.wrap(d -> sideEffects.incrementAndGet(), store, m -> m.header("order"),
            Idempotent.DEFAULT_LEASE, Idempotent.DEFAULT_DONE_TTL)));
    Message a = send(client(), Message.builder(topic).header("order", order).body("ship").build());
    Message b = send(client(), Message.builder(topic).header("order", order).body("ship").build());
    assertThat(a.id()).isNotEqualTo(b.id());
    r.awaitIds(List.of(a.id(), b.id()), retrySchedule(fastRetry()));
    t().holdsFor("one side effect", QUIET, () -> assertThat(sideEffects.get()).as("side effects").isEqualTo(1));
  }

  @Test
  @DisplayName("[IDEM-3] optional (DEAD_LETTER): a handler failure releases the key, so the retry processes it")
  void aFailureReleasesTheKeyForTheRetry() {
    requires(Capability.DEAD_LETTER);
    AtomicBoolean failed = new AtomicBoolean();
    client().subscribe(topic, group, options(), r.handler("c", Idempotent.wrap(d -> {
      if (failed.compareAndSet(false, true)) {
        throw new IllegalStateException("tck: first attempt fails");
      }
      sideEffects.incrementAndGet();
    }, store)));
    Message m = send(client(), Message.builder(topic).body("retry-me").build());
    r.awaitDeliveries(m.id(), 2, retrySchedule(fastRetry()));
    t().await("side effect of the retry", DELIVERY).until(() -> sideEffects.get() == 1);
    r.assertNoMoreFor(Duration.ofMillis(500));
    assertThat(r.of(m.id())).extracting(Received::attempt).containsExactly(1, 2);
    assertThat(sideEffects.get()).isEqualTo(1);
  }
}
