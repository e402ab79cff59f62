package io.unimq.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** CI proof that every example still does what it prints: each scenario passes its self-checks on memory://. */
class ExamplesTest {
  @TestFactory
  @DisplayName("every example passes its self-checks on memory://")
  Stream<DynamicTest> everyExamplePassesOnMemory() {
    return RunAll.scenarios().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(),
        () -> assertTrue(e.getValue().run("memory://examples-test"), e.getKey() + " failed a self-check; see its output")));
  }
}
