package io.unimq.bench;

/**
 * The search for the maximum sustainable rate: grow by {@code growth} while rates hold, shrink by
 * {@code 1/growth} while they fail, then bisect between the best held and the lowest failed rate.
 * Not thread-safe.
 */
final class RateSearch {
  private final double growth;
  private double lo;
  private double hi = Double.POSITIVE_INFINITY;
  private double next;
  private int steps;

  RateSearch(double start, double growth) {
    if (!(start > 0) || !(growth > 1)) {
      throw new IllegalArgumentException("start " + start + " and growth " + growth + " must be positive and growth > 1");
    }
    this.next = start;
    this.growth = growth;
  }

  /** The rate to try next. */
  double next() {
    return next;
  }

  /** Records the outcome of {@link #next()}. */
  void record(boolean sustained) {
    steps++;
    if (sustained) {
      lo = Math.max(lo, next);
    } else {
      hi = Math.min(hi, next);
    }
    if (hi == Double.POSITIVE_INFINITY) {
      next = lo * growth;
    } else if (lo == 0) {
      next = hi / growth;
    } else {
      next = (lo + hi) / 2;
    }
  }

  /** The highest rate that held so far, 0 when none did. */
  double best() {
    return lo;
  }

  /** The lowest rate that failed so far (infinite when none did). */
  double lowestFailed() {
    return hi;
  }

  int steps() {
    return steps;
  }
}
