package io.unimq.api;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * How a failing message is retried: at most {@code maxAttempts} deliveries in all, waiting
 * {@code initialBackoff × multiplier^(n-1)} capped at {@code maxBackoff} before delivery n+1.
 * Exceptions rejected by {@code retryable} skip the remaining attempts. Immutable, thread-safe.
 * Default: 5 attempts, 1 s, ×2, max 10 s, every exception retryable.
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

  /** The wait after failed delivery number {@code attempt} (1-based). */
  public Duration backoff(int attempt) {
    double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
    return Duration.ofMillis((long) Math.min(millis, maxBackoff.toMillis()));
  }

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
      if (m < 1.0) {
        throw new MqConfigurationException("multiplier must be at least 1.0, was " + m);
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
      this.retryable = Objects.requireNonNull(retryable, "retryable");
      return this;
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isNegative()) {
        throw new MqConfigurationException(name + " must be a non-negative duration, was " + d);
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
