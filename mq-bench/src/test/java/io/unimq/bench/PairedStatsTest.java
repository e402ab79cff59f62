package io.unimq.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PairedStatsTest {
  @Test
  void ratiosArePerPairSoThatADriftingMachineCancelsOut() {
    // the machine slows down over time, both implementations alike; unimq is always 0.9 of native
    double[] nat = {1000, 800, 600, 400, 200};
    double[] uni = {900, 720, 540, 360, 180};
    PairedStats s = PairedStats.ratios(nat, uni);
    assertThat(s.pairs()).isEqualTo(5);
    assertThat(s.median()).isCloseTo(0.9, within(1e-9));
    assertThat(s.geomean()).isCloseTo(0.9, within(1e-9));
    assertThat(s.max() - s.min()).isCloseTo(0, within(1e-9));
    // while the ratio of medians of unpaired runs would also be 0.9, its spread would hide it
  }

  @Test
  void medianQuartilesAndRangeOfTheRatios() {
    PairedStats s = PairedStats.ratios(new double[] {1, 1, 1, 1, 1}, new double[] {0.8, 1.2, 1.0, 0.9, 1.1});
    assertThat(s.median()).isCloseTo(1.0, within(1e-9));
    assertThat(s.q1()).isCloseTo(0.9, within(1e-9));
    assertThat(s.q3()).isCloseTo(1.1, within(1e-9));
    assertThat(s.min()).isCloseTo(0.8, within(1e-9));
    assertThat(s.max()).isCloseTo(1.2, within(1e-9));
  }

  @Test
  void pairsWithoutANativeFigureAreLeftOut() {
    PairedStats s = PairedStats.ratios(new double[] {0, 2, 4}, new double[] {5, 1, 4});
    assertThat(s.pairs()).isEqualTo(2);
    assertThat(s.median()).isCloseTo(0.75, within(1e-9));
  }

  @Test
  void differencesForAddedLatency() {
    PairedStats s = PairedStats.differences(new double[] {2.0, 3.0, 2.5}, new double[] {2.2, 3.5, 2.4});
    assertThat(s.median()).isCloseTo(0.2, within(1e-9));
    assertThat(s.min()).isCloseTo(-0.1, within(1e-9));
    assertThat(s.geomean()).isNaN();
  }

  @Test
  void noPairsGiveNaN() {
    assertThat(PairedStats.ratios(new double[0], new double[0]).median()).isNaN();
  }
}
