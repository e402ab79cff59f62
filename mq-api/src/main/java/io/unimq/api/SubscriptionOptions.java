package io.unimq.api;

import java.time.Duration;

/**
 * How a subscription consumes. Immutable, thread-safe. Defaults: unordered, concurrency
 * {@value #DEFAULT_CONCURRENCY}, prefetch {@value #DEFAULT_PREFETCH}, {@link RetryPolicy#DEFAULT},
 * dead letters on, {@link AckMode#AUTO}, drain timeout 30 s; for {@link MqClient#subscribeBatch},
 * batches of at most {@value #DEFAULT_BATCH_SIZE} gathered for at most 200 ms.
 */
public final class SubscriptionOptions {
  public static final int DEFAULT_CONCURRENCY = 4;
  public static final int DEFAULT_PREFETCH = 256;
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_BATCH_SIZE = 100;
  public static final Duration DEFAULT_BATCH_WAIT = Duration.ofMillis(200);
  public static final SubscriptionOptions DEFAULT = builder().build();

  private final boolean ordered;
  private final int concurrency;
  private final int prefetch;
  private final RetryPolicy retryPolicy;
  private final boolean deadLetter;
  private final AckMode ackMode;
  private final Duration drainTimeout;
  private final int batchSize;
  private final Duration batchWait;

  private SubscriptionOptions(Builder b) {
    this.ordered = b.ordered;
    this.concurrency = b.concurrency;
    this.prefetch = Math.max(b.prefetch, b.concurrency);
    this.retryPolicy = b.retryPolicy;
    this.deadLetter = b.deadLetter;
    this.ackMode = b.ackMode;
    this.drainTimeout = b.drainTimeout;
    this.batchSize = b.batchSize;
    this.batchWait = b.batchWait;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().ordered(ordered).concurrency(concurrency).prefetch(prefetch)
        .retryPolicy(retryPolicy).deadLetter(deadLetter).ackMode(ackMode).drainTimeout(drainTimeout)
        .batch(batchSize, batchWait);
  }

  /** Same-key messages one at a time in send order; a retry holds back later ones of that key. */
  public boolean ordered() {
    return ordered;
  }

  /** Handlers running at once in this subscription. */
  public int concurrency() {
    return concurrency;
  }

  /** Messages fetched but not yet acked, at most (never below concurrency). */
  public int prefetch() {
    return prefetch;
  }

  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /** Whether exhausted messages go to the group's dead letters (otherwise they are logged and dropped). */
  public boolean deadLetter() {
    return deadLetter;
  }

  public AckMode ackMode() {
    return ackMode;
  }

  /** How long {@link Subscription#close()} waits for in-flight handlers. */
  public Duration drainTimeout() {
    return drainTimeout;
  }

  /** The most deliveries a {@link BatchHandler} gets at once. */
  public int batchSize() {
    return batchSize;
  }

  /**
   * How long a batch waits for more deliveries after its first one arrived, before it goes to the
   * {@link BatchHandler} with fewer than {@link #batchSize()}.
   */
  public Duration batchWait() {
    return batchWait;
  }

  /** Not thread-safe. */
  public static final class Builder {
    private boolean ordered;
    private int concurrency = DEFAULT_CONCURRENCY;
    private int prefetch = DEFAULT_PREFETCH;
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private boolean deadLetter = true;
    private AckMode ackMode = AckMode.AUTO;
    private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Duration batchWait = DEFAULT_BATCH_WAIT;

    public Builder ordered(boolean ordered) {
      this.ordered = ordered;
      return this;
    }

    public Builder concurrency(int concurrency) {
      if (concurrency < 1 || concurrency > 1024) {
        throw new MqConfigurationException("concurrency must be between 1 and 1024, was " + concurrency);
      }
      this.concurrency = concurrency;
      return this;
    }

    public Builder prefetch(int prefetch) {
      if (prefetch < 1 || prefetch > 65535) {
        throw new MqConfigurationException("prefetch must be between 1 and 65535, was " + prefetch);
      }
      this.prefetch = prefetch;
      return this;
    }

    public Builder retryPolicy(RetryPolicy retryPolicy) {
      if (retryPolicy == null) {
        throw new MqConfigurationException("retryPolicy is null; pass RetryPolicy.DEFAULT, RetryPolicy.NONE (no retry) or one built with"
            + " RetryPolicy.builder()");
      }
      this.retryPolicy = retryPolicy;
      return this;
    }

    public Builder deadLetter(boolean deadLetter) {
      this.deadLetter = deadLetter;
      return this;
    }

    public Builder ackMode(AckMode ackMode) {
      if (ackMode == null) {
        throw new MqConfigurationException("ackMode is null; pass AckMode.AUTO (ack when the handler returns) or AckMode.MANUAL");
      }
      this.ackMode = ackMode;
      return this;
    }

    public Builder drainTimeout(Duration drainTimeout) {
      if (drainTimeout == null || drainTimeout.isNegative()) {
        throw new MqConfigurationException("drainTimeout must be a non-negative duration, was " + drainTimeout);
      }
      this.drainTimeout = drainTimeout;
      return this;
    }

    /**
     * Batches for {@link MqClient#subscribeBatch}: at most {@code maxSize} deliveries, handed over
     * once that many arrived or {@code maxWait} after the first one. The prefetch of a batch
     * subscription is raised to {@code maxSize} when lower. Ignored by a {@link MessageHandler}.
     */
    public Builder batch(int maxSize, Duration maxWait) {
      if (maxSize < 1 || maxSize > 65535) {
        throw new MqConfigurationException("batch maxSize must be between 1 and 65535, was " + maxSize);
      }
      if (maxWait == null || maxWait.isNegative() || maxWait.isZero() || maxWait.compareTo(Duration.ofHours(1)) > 0) {
        throw new MqConfigurationException("batch maxWait must be a positive duration of at most 1 hour, was " + maxWait);
      }
      this.batchSize = maxSize;
      this.batchWait = maxWait;
      return this;
    }

    public SubscriptionOptions build() {
      return new SubscriptionOptions(this);
    }
  }
}
