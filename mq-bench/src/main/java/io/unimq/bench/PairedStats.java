package io.unimq.bench;

import java.util.Arrays;

/**
 * Statistics of paired runs: per pair the ratio {@code b / a} (or the difference {@code b - a}), then
 * the median, geometric mean, quartiles and range of those. On a noisy machine only such paired
 * figures mean anything. Immutable.
 */
record PairedStats(int pairs, double median, double geomean, double q1, double q3, double min, double max, double[] values) {

  /** Ratios {@code b[i] / a[i]} (pairs where {@code a[i]} is 0 are skipped). */
  static PairedStats ratios(double[] a, double[] b) {
    check(a, b);
    double[] r = new double[a.length];
    int n = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] > 0) {
        r[n++] = b[i] / a[i];
      }
    }
    return of(Arrays.copyOf(r, n), true);
  }

  /** Differences {@code b[i] - a[i]}. */
  static PairedStats differences(double[] a, double[] b) {
    check(a, b);
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = b[i] - a[i];
    }
    return of(d, false);
  }

  private static void check(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("unpaired: " + a.length + " vs " + b.length);
    }
  }

  static PairedStats of(double[] values, boolean positive) {
    double[] v = values.clone();
    Arrays.sort(v);
    if (v.length == 0) {
      return new PairedStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, v);
    }
    double logSum = 0;
    for (double x : v) {
      logSum += Math.log(x);
    }
    double geo = positive && v[0] > 0 ? Math.exp(logSum / v.length) : Double.NaN;
    return new PairedStats(v.length, quantile(v, 0.5), geo, quantile(v, 0.25), quantile(v, 0.75), v[0], v[v.length - 1], v);
  }

  /** Linear interpolation between closest ranks of a sorted array. */
  static double quantile(double[] sorted, double q) {
    if (sorted.length == 1) {
      return sorted[0];
    }
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  /** Median of any values. */
  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length == 0 ? Double.NaN : quantile(v, 0.5);
  }
}
