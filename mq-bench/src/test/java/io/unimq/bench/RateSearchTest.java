package io.unimq.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RateSearchTest {
  /** The true limit is 10 000 msg/s. */
  private static double search(double start, int steps) {
    RateSearch s = new RateSearch(start, 1.25);
    for (int i = 0; i < steps; i++) {
      s.record(s.next() <= 10_000);
    }
    return s.best();
  }

  @Test
  void growsFromBelowThenBisects() {
    double best = search(4_000, 12);
    assertThat(best).isLessThanOrEqualTo(10_000).isGreaterThan(9_500);
  }

  @Test
  void shrinksFromAboveThenBisects() {
    double best = search(30_000, 12);
    assertThat(best).isLessThanOrEqualTo(10_000).isGreaterThan(9_500);
  }

  @Test
  void neverReportsARateThatFailed() {
    RateSearch s = new RateSearch(1000, 1.25);
    s.record(false);
    assertThat(s.best()).isZero();
    assertThat(s.next()).isCloseTo(800, within(1e-9));
    s.record(true);
    assertThat(s.best()).isCloseTo(800, within(1e-9));
    assertThat(s.next()).isCloseTo(900, within(1e-9));
    assertThat(s.lowestFailed()).isCloseTo(1000, within(1e-9));
    assertThat(s.steps()).isEqualTo(2);
  }
}
