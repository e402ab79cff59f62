package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/** Every rule of both kits has a unique id and says whether it is required. */
class KitRulesTest {
  /** {@code [AREA-n] required: ...} or {@code [AREA-n] optional (condition): ...}. */
  static final Pattern RULE = Pattern.compile("\\[([A-Z]+)-(\\d+)\\] (required|optional \\([^)]+\\)): \\S.*");

  static List<Method> rules(Class<?> c) {
    List<Method> out = new ArrayList<>();
    for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
      for (Method m : k.getDeclaredMethods()) {
        if (m.isAnnotationPresent(Test.class) || m.isAnnotationPresent(ParameterizedTest.class)) {
          out.add(m);
        }
      }
    }
    return out;
  }

  @Test
  void everyRuleHasAUniqueIdAndSaysWhetherItIsRequired() {
    Set<String> ids = new HashSet<>();
    List<Class<?>> containers = new ArrayList<>();
    for (Class<?> area : MqCompatibilityKit.class.getDeclaredClasses()) {
      assertThat(area).as("area %s", area.getSimpleName()).matches(c -> c.isAnnotationPresent(Nested.class));
      containers.add(area);
    }
    containers.add(IdempotencyStoreCompatibilityKit.class);
    int rules = 0;
    for (Class<?> c : containers) {
      Set<String> prefixes = new HashSet<>();
      for (Method m : rules(c)) {
        String name = KitArea.ruleName(m);
        Matcher id = RULE.matcher(name);
        assertThat(id.matches()).as("display name of %s.%s: %s", c.getSimpleName(), m.getName(), name).isTrue();
        assertThat(ids.add(id.group(1) + "-" + id.group(2))).as("id of %s is unique", name).isTrue();
        prefixes.add(id.group(1));
        rules++;
      }
      assertThat(prefixes).as("id prefixes of %s", c.getSimpleName()).hasSize(1);
    }
    assertThat(rules).isGreaterThan(80);
  }
}
