package io.unimq.kafka;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs only the kit areas named in {@code -Dkit.areas=Delay,Retry} (simple names of the nested
 * classes); everything when unset. Surefire's {@code -Dtest} cannot select inherited nested classes.
 */
final class OnlyArea implements ExecutionCondition {
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String areas = System.getProperty("kit.areas", "");
    if (areas.isBlank() || context.getTestClass().isEmpty()) {
      return ConditionEvaluationResult.enabled("all areas");
    }
    Class<?> c = context.getTestClass().get();
    if (c.getEnclosingClass() == null) {
      return ConditionEvaluationResult.enabled("outer class");
    }
    for (String a : areas.split(",")) {
      if (c.getSimpleName().equals(a.trim())) {
        return ConditionEvaluationResult.enabled("selected");
      }
    }
    return ConditionEvaluationResult.disabled("not in kit.areas");
  }
}
