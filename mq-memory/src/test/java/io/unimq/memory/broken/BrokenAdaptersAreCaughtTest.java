package io.unimq.memory.broken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectNestedClass;

import io.unimq.tck.MqCompatibilityKit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The kit tests itself: every area has a deliberately broken adapter (the memory broker behind a
 * transport with one fault) that must fail the rules written to catch its fault, with an assertion
 * (not an error of the kit), while the other rules of the area still run and none is skipped.
 */
class BrokenAdaptersAreCaughtTest {

  @Test
  @DisplayName("Produce: an adapter that writes keys and headers in a single-byte charset")
  void aLossyCharsetIsCaught() {
    assertCaught(run(LossyCharsetProvider.Kit.class, MqCompatibilityKit.Produce.class), "[PROD-4]");
  }

  @Test
  @DisplayName("Groups: an adapter that drops every 100th message")
  void droppingMessagesIsCaught() {
    assertCaught(run(DroppingProvider.Kit.class, MqCompatibilityKit.Groups.class), "[GRP-1]", "[GRP-2]");
  }

  @Test
  @DisplayName("Ordering: an adapter that reorders a key")
  void reorderingAKeyIsCaught() {
    assertCaught(run(ReorderingProvider.Kit.class, MqCompatibilityKit.Ordering.class), "[ORD-1]", "[ORD-4]");
  }

  @Test
  @DisplayName("Retry: an adapter that makes a retry visible before its backoff")
  void anEagerRetryIsCaught() {
    assertCaught(run(EagerRetryProvider.Kit.class, MqCompatibilityKit.Retry.class), "[RETRY-1]");
  }

  @Test
  @DisplayName("DeadLetter: an adapter that never dead-letters")
  void neverDeadLetteringIsCaught() {
    assertCaught(run(NoDeadLetterProvider.Kit.class, MqCompatibilityKit.DeadLetter.class),
        "[DLQ-1]", "[DLQ-2]", "[DLQ-3]", "[DLQ-4]", "[DLQ-5]");
  }

  @Test
  @DisplayName("Delay: an adapter whose delays fire a second early")
  void anEarlyDelayIsCaught() {
    assertCaught(run(EarlyDelayProvider.Kit.class, MqCompatibilityKit.Delay.class), "[DELAY-1]", "[DELAY-3]", "[DELAY-5]");
  }

  @Test
  @DisplayName("Transactions: an adapter whose half messages are visible, so a rollback delivers")
  void aVisibleHalfMessageIsCaught() {
    assertCaught(run(VisibleHalfProvider.Kit.class, MqCompatibilityKit.Transactions.class), "[TX-2]", "[TX-7]");
  }

  @Test
  @DisplayName("Idempotency: an adapter that delivers the broker's ids instead of the message's")
  void aLostIdIsCaught() {
    assertCaught(run(NewIdProvider.Kit.class, MqCompatibilityKit.Idempotency.class), "[IDEM-1]");
  }

  @Test
  @DisplayName("Tracing: an adapter that does not write the traceparent and tracestate headers")
  void aDroppedTraceContextIsCaught() {
    assertCaught(run(UntracedProvider.Kit.class, MqCompatibilityKit.Tracing.class), "[TRC-1]", "[TRC-2]", "[TRC-3]");
  }

  @Test
  @DisplayName("Lifecycle: an adapter whose close drops the work in flight")
  void aCloseThatDropsInFlightWorkIsCaught() {
    assertCaught(run(DroppingCloseProvider.Kit.class, MqCompatibilityKit.Lifecycle.class), "[LIFE-1]", "[LIFE-2]");
  }

  @Test
  @DisplayName("ManualAck: an adapter whose acks never reach the broker")
  void aLostAckIsCaught() {
    assertCaught(run(LostAckProvider.Kit.class, MqCompatibilityKit.ManualAck.class), "[ACK-1]", "[ACK-3]");
  }

  @Test
  @DisplayName("Lag: an adapter whose lag always reads 0")
  void aLagThatLiesIsCaught() {
    assertCaught(run(LyingLagProvider.Kit.class, MqCompatibilityKit.Lag.class), "[LAG-1]", "[LAG-2]", "[LAG-3]");
  }

  @Test
  @DisplayName("BadInput: an adapter that accepts every URI parameter")
  void acceptingEveryParameterIsCaught() {
    assertCaught(run(LenientProvider.Kit.class, MqCompatibilityKit.BadInput.class), "[BAD-3]");
  }

  private static Events run(Class<?> kit, Class<?> area) {
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectNestedClass(List.of(kit), area))
        .execute()
        .testEvents();
  }

  private static void assertCaught(Events tests, String... ruleIds) {
    List<Event> failed = tests.failed().list();
    String summary = failed.stream()
        .map(e -> e.getTestDescriptor().getDisplayName() + " -> " + throwable(e).map(Throwable::toString).orElse("?"))
        .collect(Collectors.joining("\n  "));
    assertThat(tests.started().count()).as("rules run").isGreaterThan(ruleIds.length);
    assertThat(tests.skipped().count() + tests.aborted().count()).as("rules skipped").isZero();
    for (String id : ruleIds) {
      List<Event> caught = failed.stream()
          .filter(e -> e.getTestDescriptor().getDisplayName().startsWith(id))
          .collect(Collectors.toList());
      assertThat(caught).as("failures of rule %s; all failures:\n  %s", id, summary).isNotEmpty();
      for (Event e : caught) {
        assertThat(throwable(e)).as("why %s failed", id).get()
            .isInstanceOfAny(AssertionError.class, ConditionTimeoutException.class);
      }
    }
  }

  private static Optional<Throwable> throwable(Event e) {
    return e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable);
  }
}
