package io.unimq.tck;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Optional: after the kit has run, prints one line per area with its passed, failed and skipped
 * test cases, and why an area was skipped. Register it with {@code @ExtendWith(KitSummary.class)} on
 * the test class that extends {@link MqCompatibilityKit}; the nested areas inherit it. One instance
 * per test class; not for parallel execution.
 */
public class KitSummary implements TestWatcher, AfterAllCallback {
  private final Map<String, int[]> areas = new TreeMap<>();
  private final Map<String, String> skipped = new TreeMap<>();

  @Override
  public void testSuccessful(ExtensionContext context) {
    count(context, 0);
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    count(context, 1);
  }

  @Override
  public void testAborted(ExtensionContext context, Throwable cause) {
    count(context, 2);
    skipped.putIfAbsent(area(context), String.valueOf(cause.getMessage()).replace("Assumption failed: ", ""));
  }

  @Override
  public void testDisabled(ExtensionContext context, Optional<String> reason) {
    count(context, 2);
    skipped.putIfAbsent(area(context), reason.orElse("disabled"));
  }

  private synchronized void count(ExtensionContext context, int outcome) {
    areas.computeIfAbsent(area(context), a -> new int[3])[outcome]++;
  }

  /** {@code MqCompatibilityKit$Ordering} gives "Ordering". */
  private static String area(ExtensionContext context) {
    return context.getRequiredTestClass().getSimpleName();
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) {
    if (context.getRequiredTestClass().getEnclosingClass() != null || areas.isEmpty()) {
      return; // a nested area finished; print once, after the outer class
    }
    StringBuilder out = new StringBuilder("\nunimq compatibility kit, per area (passed / failed / skipped):\n");
    areas.forEach((area, n) -> {
      out.append(String.format("  %-14s %3d / %d / %d", area, n[0], n[1], n[2]));
      if (n[0] + n[1] == 0 && skipped.containsKey(area)) {
        out.append("   skipped: ").append(skipped.get(area));
      }
      out.append('\n');
    });
    System.out.println(out);
  }
}
