package io.unimq.tck;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs only the kit areas named in {@code -Dunimq.tck.areas=Delay,Retry} (simple names of the
 * nested classes), for quick iterations while writing an adapter; everything when unset. Surefire's
 * {@code -Dtest} cannot select nested classes inherited from the kit.
 */
final class KitAreas implements ExecutionCondition {
  static final String PROPERTY = "unimq.tck.areas";

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String areas = System.getProperty(PROPERTY, "");
    if (areas.isBlank() || context.getTestClass().isEmpty()) {
      return ConditionEvaluationResult.enabled("all areas");
    }
    Class<?> c = context.getTestClass().get();
    while (c.getEnclosingClass() != null && c.getEnclosingClass() != MqCompatibilityKit.class) {
      c = c.getEnclosingClass();
    }
    if (c.getEnclosingClass() == null) {
      return ConditionEvaluationResult.enabled("the kit itself");
    }
    for (String a : areas.split(",")) {
      if (c.getSimpleName().equals(a.trim())) {
        return ConditionEvaluationResult.enabled("selected by " + PROPERTY);
      }
    }
    return ConditionEvaluationResult.disabled("not in " + PROPERTY + "=" + areas);
  }
}
