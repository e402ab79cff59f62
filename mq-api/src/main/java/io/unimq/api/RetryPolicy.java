package io.unimq.api;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * How a failing message is retried: at most {@code maxAttempts} deliveries in all, waiting
 * {@code initialBackoff × multiplier^(n-1)} capped at {@code maxBackoff} before delivery n+1.
 * Exceptions rejected by {@code retryable} skip the remaining attempts. Immutable, thread-safe.
 * Default: 5 attempts, 1 s, ×2, max 10 s, every exception retryable.
 *
 * <p>When the broker cannot take a retry or a dead letter (its connection is lost, say), the
 * message goes back to the broker; when it comes back to the same client, the retry or dead
 * letter is carried out without running the handler again, so a lost connection does not add
 * attempts. A redelivery to another client runs the handler again (at-least-once).
 */
public final class RetryPolicy {
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
  public static final double DEFAULT_MULTIPLIER = 2.0;
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
  public static final RetryPolicy DEFAULT = builder().build();
  /** One delivery, no retry. */
  public static final RetryPolicy NONE = builder().maxAttempts(1).build();

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final double multiplier;
  private final Duration maxBackoff;
  private final Predicate<Throwable> retryable;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.multiplier = b.multiplier;
    this.maxBackoff = b.maxBackoff;
    this.retryable = b.retryable;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy. */
  public Builder toBuilder() {
    return builder().maxAttempts(maxAttempts).initialBackoff(initialBackoff).multiplier(multiplier)
        .maxBackoff(maxBackoff).retryOn(retryable);
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public double multiplier() {
    return multiplier;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  /**
   * The wait after failed delivery number {@code attempt} (1-based), in whole milliseconds. Saturates:
   * a growth past {@code maxBackoff} (or past what a {@code long} of milliseconds holds) gives
   * {@code maxBackoff}.
   */
  public Duration backoff(int attempt) {
    long max = saturatedMillis(maxBackoff);
    double millis = saturatedMillis(initialBackoff) * Math.pow(multiplier, Math.max(0, attempt - 1));
    if (Double.isNaN(millis)) {
      return Duration.ZERO; // a zero initial backoff times an infinite growth
    }
    return Duration.ofMillis(millis >= max ? max : (long) millis);
  }

  private static long saturatedMillis(Duration d) {
    return d.compareTo(LONGEST) >= 0 ? Long.MAX_VALUE : d.toMillis();
  }

  /** The longest duration whose milliseconds fit a {@code long}. */
  private static final Duration LONGEST = Duration.ofMillis(Long.MAX_VALUE);

  /** Whether delivery {@code attempt} that failed with {@code error} gets another one. */
  public boolean shouldRetry(int attempt, Throwable error) {
    return attempt < maxAttempts && retryable.test(error);
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff
        + ", multiplier=" + multiplier + ", maxBackoff=" + maxBackoff + '}';
  }

  /** Not thread-safe. */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private double multiplier = DEFAULT_MULTIPLIER;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private Predicate<Throwable> retryable = t -> true;

    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new MqConfigurationException("maxAttempts must be at least 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder initialBackoff(Duration d) {
      this.initialBackoff = positive(d, "initialBackoff");
      return this;
    }

    public Builder multiplier(double m) {
      if (!(m >= 1.0)) { // also NaN
        throw new MqConfigurationException("multiplier must be a number of at least 1.0 (1.0 for a constant backoff), was " + m);
      }
      this.multiplier = m;
      return this;
    }

    public Builder maxBackoff(Duration d) {
      this.maxBackoff = positive(d, "maxBackoff");
      return this;
    }

    /** Exceptions for which this returns false go straight to the dead letters. */
    public Builder retryOn(Predicate<Throwable> retryable) {
      if (retryable == null) {
        throw new MqConfigurationException("retryOn predicate is null; pass one that returns true for the exceptions to retry,"
            + " for example e -> true");
      }
      this.retryable = retryable;
      return this;
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isNegative()) {
        throw new MqConfigurationException(name + " must be a non-negative duration such as Duration.ofSeconds(1), was " + d);
      }
      return d;
    }

    public RetryPolicy build() {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        maxBackoff = initialBackoff;
      }
      return new RetryPolicy(this);
    }
  }
}
