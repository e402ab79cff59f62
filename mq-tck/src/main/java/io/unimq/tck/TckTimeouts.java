package io.unimq.tck;

import java.time.Duration;
import java.util.Locale;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Every timeout of the kit goes through {@link #scaled(Duration)}, so that one setting makes the kit
 * patient on slow machines and brisk on fast ones: the system property {@value #PROPERTY} or the
 * environment variable {@value #ENVIRONMENT} (a positive number, default 1.0). Immutable,
 * thread-safe.
 *
 * <p>Scaling applies to upper bounds only (how long the kit waits for something to happen, how late
 * it may be). Lower bounds (never early, never before the backoff) are the contract and are not
 * scaled.
 */
public final class TckTimeouts {
  public static final String PROPERTY = "unimq.tck.timeoutScale";
  public static final String ENVIRONMENT = "UNIMQ_TCK_TIMEOUT_SCALE";
  /** How much earlier than promised an event may be observed, for clock granularity. */
  public static final Duration CLOCK_SLACK = Duration.ofMillis(50);

  private final double scale;

  private TckTimeouts(double scale) {
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("timeout scale must be a positive number, was " + scale);
    }
    this.scale = scale;
  }

  /** Reads {@value #PROPERTY}, then {@value #ENVIRONMENT}; 1.0 when neither is set. */
  public static TckTimeouts fromEnvironment() {
    String value = System.getProperty(PROPERTY);
    String source = "system property " + PROPERTY;
    if (value == null || value.isBlank()) {
      value = System.getenv(ENVIRONMENT);
      source = "environment variable " + ENVIRONMENT;
    }
    if (value == null || value.isBlank()) {
      return new TckTimeouts(1.0);
    }
    try {
      return new TckTimeouts(Double.parseDouble(value.trim()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + " must be a positive number such as 1.0 or 2.5, was '" + value + "'", e);
    }
  }

  public static TckTimeouts of(double scale) {
    return new TckTimeouts(scale);
  }

  public double scale() {
    return scale;
  }

  /** {@code d} multiplied by the scale. */
  public Duration scaled(Duration d) {
    return Duration.ofNanos(Math.round(d.toNanos() * scale));
  }

  /** An Awaitility condition that polls every 10 ms for at most {@code scaled(atMost)}. */
  public ConditionFactory await(String what, Duration atMost) {
    return Awaitility.await(what)
        .atMost(scaled(atMost))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10))
        .pollInSameThread();
  }

  /**
   * Checks that {@code assertion} keeps holding for {@code period} (not scaled: it proves that
   * something did not happen within a stated time). Fails at once when it stops holding.
   */
  public void holdsFor(String what, Duration period, Runnable assertion) {
    long end = System.nanoTime() + period.toNanos();
    while (true) {
      assertion.run();
      long left = end - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        Thread.sleep(Math.min(20, Math.max(1, left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while checking that " + what, e);
      }
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "TckTimeouts{scale=%.2f}", scale);
  }
}
