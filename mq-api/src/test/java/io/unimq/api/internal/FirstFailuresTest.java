package io.unimq.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FirstFailuresTest {
  @Test
  void aRememberedTimeIsFoundPerGroupUntilForgotten() {
    FirstFailures f = new FirstFailures(10);
    f.remember("billing", "id-1", 123);
    assertThat(f.get("billing", "id-1")).isEqualTo(123);
    assertThat(f.get("shipping", "id-1")).isZero();
    assertThat(f.get("billing", "id-2")).isZero();
    f.forget("billing", "id-1");
    assertThat(f.get("billing", "id-1")).isZero();
  }

  @Test
  void beyondItsCapacityTheLeastRecentlyUsedTimeGoes() {
    FirstFailures f = new FirstFailures(2);
    f.remember("g", "a", 1);
    f.remember("g", "b", 2);
    assertThat(f.get("g", "a")).isEqualTo(1); // a is now the most recently used
    f.remember("g", "c", 3);
    assertThat(f.get("g", "b")).isZero();
    assertThat(f.get("g", "a")).isEqualTo(1);
    assertThat(f.get("g", "c")).isEqualTo(3);
  }
}
