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
 * The kit tests itself: each deliberately broken adapter must fail the rules written to catch its
 * fault, with an assertion (not an error of the kit), while other rules of the same area still run.
 */
class BrokenAdaptersAreCaughtTest {

  @Test
  @DisplayName("an adapter that drops every 100th message fails the work queue and fanout rules")
  void droppingMessagesIsCaught() {
    Events tests = run(DroppingAdapterKit.class, MqCompatibilityKit.Groups.class);
    assertCaught(tests, "[GRP-1]", "[GRP-2]");
  }

  @Test
  @DisplayName("an adapter that reorders a key fails the ordering rules")
  void reorderingAKeyIsCaught() {
    Events tests = run(ReorderingAdapterKit.class, MqCompatibilityKit.Ordering.class);
    assertCaught(tests, "[ORD-1]", "[ORD-4]");
  }

  @Test
  @DisplayName("an adapter that never dead-letters fails the dead-letter rules")
  void neverDeadLetteringIsCaught() {
    Events tests = run(NoDeadLetterAdapterKit.class, MqCompatibilityKit.DeadLetter.class);
    assertCaught(tests, "[DLQ-1]", "[DLQ-2]", "[DLQ-3]", "[DLQ-4]", "[DLQ-5]");
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
    assertThat(tests.skipped().count()).as("rules skipped").isZero();
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
