package io.unimq.outbox;

import io.unimq.api.MqConfigurationException;
import io.unimq.api.Producer;
import io.unimq.outbox.internal.OutboxMeters;
import io.unimq.outbox.internal.RelayEngine;
import io.unimq.outbox.internal.Args;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes committed outbox rows through any unimq {@link Producer} and marks them sent only
 * after the broker confirmed them. Thread-safe.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Every committed row is published at least once, also across broker outages and relay
 *       crashes: the <em>live pass</em> (every {@code interval}) sends rows never attempted; rows
 *       it could not get confirmed are re-sent by the <em>compensation sweep</em> (every
 *       {@code sweepInterval}) once they are {@code sweepDelay} old. The sweep's position is kept
 *       in {@code unimq_outbox_position}. A duplicate (a crash between confirm and mark) keeps the
 *       message id, so an idempotent consumer absorbs it.</li>
 *   <li>Rows of one key are published in sequence order, each only after the previous one was
 *       confirmed; a key stops at its first failure. Different keys go in parallel.</li>
 *   <li>Several relays (threads or processes) may share the table: rows are locked with
 *       {@code FOR UPDATE SKIP LOCKED} from selection to marking, and a key whose earlier rows
 *       another relay holds is left for later. No row is published twice in a normal run.</li>
 * </ul>
 * Sent rows are deleted {@code retention} after they were sent.
 *
 * <pre>{@code
 * OutboxRelay relay = OutboxRelay.builder(dataSource, client.producer()).build().start();
 * ...
 * relay.close();
 * }</pre>
 */
public final class OutboxRelay implements AutoCloseable {
  public static final int DEFAULT_BATCH_SIZE = 500;
  public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(200);
  public static final Duration DEFAULT_SWEEP_DELAY = Duration.ofSeconds(30);
  public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(1);
  public static final Duration DEFAULT_CLEANUP_INTERVAL = Duration.ofMinutes(1);
  /** Consecutive full batches one tick may publish before it yields. */
  private static final int MAX_BATCHES_PER_TICK = 1_000;
  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  private final Builder config;
  private final RelayEngine engine;
  private final OutboxMeters meters;
  private final ScheduledExecutorService scheduler;
  private volatile Instant nextCleanup = Instant.MIN;
  private volatile boolean started;

  private OutboxRelay(Builder b) {
    this.config = b;
    this.engine = new RelayEngine(b.dataSource, b.producer, b.batchSize, b.sendTimeout, b.sweepDelay, b.retention);
    this.meters = b.meterRegistry == null ? null : new OutboxMeters(b.meterRegistry, b.name, engine);
    this.scheduler = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "unimq-outbox-" + b.name);
      t.setDaemon(true);
      return t;
    });
  }

  public static Builder builder(DataSource dataSource, Producer producer) {
    return new Builder(dataSource, producer);
  }

  /** Starts the live pass and the maintenance (sweep, cleanup, pending gauges). Returns this. */
  public synchronized OutboxRelay start() {
    if (started) {
      return this;
    }
    started = true;
    scheduler.scheduleWithFixedDelay(() -> guarded("relay", this::drainLive), 0, config.interval.toMillis(), TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(() -> guarded("maintenance", this::maintain), 0, config.sweepInterval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Publishes one batch of never-attempted rows now, on the caller's thread; returns how many were confirmed. */
  public int relayOnce() {
    return interruptible(() -> engine.relayOnce().published());
  }

  /** Runs one compensation sweep batch now, on the caller's thread; returns how many rows it re-sent. */
  public int sweepOnce() {
    return interruptible(() -> engine.sweepOnce().published());
  }

  /** Deletes rows sent more than the retention ago, now; returns how many. */
  public long cleanupOnce() {
    return interruptible(engine::cleanupOnce);
  }

  /** Rows not yet confirmed, read from the database now. */
  public long pendingRows() {
    return interruptible(() -> engine.refreshPending().rows());
  }

  /** Age of the oldest row not yet confirmed, read from the database now; zero when none. */
  public Duration oldestPendingAge() {
    Instant oldest = interruptible(() -> engine.refreshPending().oldestCreatedAt());
    return oldest == null ? Duration.ZERO : Duration.between(oldest, Instant.now());
  }

  /** The compensation sweep's stored position: every row below it was sent or belongs to the live pass. */
  public long sweepPosition() {
    return interruptible(engine::sweepPosition);
  }

  /** Rows this relay published and marked sent since it was built. */
  public long publishedCount() {
    return engine.publishedTotal();
  }

  /** Row sends this relay did not get confirmed (the rows stayed pending and are sent again) since it was built. */
  public long unconfirmedCount() {
    return engine.failedTotal();
  }

  /** Stops the schedule, waiting up to {@code timeout} for a batch in flight (its rows are marked or left pending). */
  public void close(Duration timeout) {
    scheduler.shutdown();
    try {
      if (!scheduler.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        scheduler.shutdownNow();
      }
    } catch (InterruptedException e) {
      scheduler.shutdownNow();
      Thread.currentThread().interrupt();
    }
    if (meters != null) {
      meters.close();
    }
  }

  /** Closes, waiting up to the send timeout for a batch in flight. The producer is not closed. */
  @Override
  public void close() {
    close(config.sendTimeout.plusSeconds(5));
  }

  private void drainLive() throws InterruptedException {
    for (int i = 0; i < MAX_BATCHES_PER_TICK && !scheduler.isShutdown(); i++) {
      RelayEngine.Pass pass = engine.relayOnce();
      if (pass.locked() < config.batchSize || pass.published() < pass.locked()) {
        return;
      }
    }
  }

  private void maintain() throws InterruptedException {
    for (int i = 0; i < MAX_BATCHES_PER_TICK && !scheduler.isShutdown(); i++) {
      RelayEngine.Pass pass = engine.sweepOnce();
      if (pass.locked() < config.batchSize || pass.published() < pass.locked()) {
        break;
      }
    }
    if (Instant.now().isAfter(nextCleanup)) {
      nextCleanup = Instant.now().plus(config.cleanupInterval);
      long deleted = engine.cleanupOnce();
      if (deleted > 0) {
        log.debug("outbox {}: deleted {} row(s) sent more than {} ago", config.name, deleted, config.retention);
      }
    }
    engine.refreshPending();
  }

  @FunctionalInterface
  private interface Step {
    void run() throws InterruptedException;
  }

  private void guarded(String what, Step step) {
    try {
      step.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("outbox {} {} failed, retrying at the next tick: {}", config.name, what, e.toString());
    }
  }

  @FunctionalInterface
  private interface Call<T> {
    T call() throws InterruptedException;
  }

  private static <T> T interruptible(Call<T> call) {
    try {
      return call.call();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OutboxException("interrupted", e);
    }
  }

  /**
   * Configures a relay. Not thread-safe. A null or out-of-range value is rejected at once with an
   * {@link MqConfigurationException} naming the setting.
   */
  public static final class Builder {
    private final DataSource dataSource;
    private final Producer producer;
    private String name = "default";
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Duration interval = DEFAULT_INTERVAL;
    private Duration sweepDelay = DEFAULT_SWEEP_DELAY;
    private Duration sweepInterval = DEFAULT_SWEEP_INTERVAL;
    private Duration sendTimeout = DEFAULT_SEND_TIMEOUT;
    private Duration retention = DEFAULT_RETENTION;
    private Duration cleanupInterval = DEFAULT_CLEANUP_INTERVAL;
    private Object meterRegistry;

    private Builder(DataSource dataSource, Producer producer) {
      this.dataSource = required("dataSource", dataSource);
      this.producer = required("producer", producer);
    }

    /** Names the relay in thread names, logs and the {@code outbox} meter tag. */
    public Builder name(String name) {
      this.name = required("name", name);
      return this;
    }

    /** Rows per transaction (default 500). */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new MqConfigurationException("OutboxRelay batchSize must be at least 1, was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** Pause between live passes once the pending rows are drained (default 200 ms). */
    public Builder interval(Duration interval) {
      this.interval = positive("interval", interval);
      return this;
    }

    /** How long a row stays pending before the compensation sweep re-sends it (default 30 s). */
    public Builder sweepDelay(Duration sweepDelay) {
      this.sweepDelay = notNegative("sweepDelay", sweepDelay);
      return this;
    }

    /** Pause between compensation sweeps, cleanups and gauge refreshes (default 5 s). */
    public Builder sweepInterval(Duration sweepInterval) {
      this.sweepInterval = positive("sweepInterval", sweepInterval);
      return this;
    }

    /** How long a batch waits for the broker's confirmations (default 30 s); unconfirmed rows are sent again later. */
    public Builder sendTimeout(Duration sendTimeout) {
      this.sendTimeout = positive("sendTimeout", sendTimeout);
      return this;
    }

    /** How long sent rows are kept before they are deleted (default 1 day). */
    public Builder retention(Duration retention) {
      this.retention = notNegative("retention", retention);
      return this;
    }

    /** How often sent rows past the retention are deleted (default 1 min). */
    public Builder cleanupInterval(Duration cleanupInterval) {
      this.cleanupInterval = positive("cleanupInterval", cleanupInterval);
      return this;
    }

    /**
     * Records {@code unimq.outbox.pending}, {@code unimq.outbox.oldest.age},
     * {@code unimq.outbox.published} and {@code unimq.outbox.unconfirmed} in this
     * {@code io.micrometer.core.instrument.MeterRegistry}. Micrometer is an optional dependency.
     *
     * @throws MqConfigurationException null, not a {@code MeterRegistry}, or Micrometer
     *     ({@code io.micrometer:micrometer-core}) is not on the classpath
     */
    public Builder meterRegistry(Object meterRegistry) {
      this.meterRegistry = Args.meterRegistry("OutboxRelay meterRegistry", meterRegistry);
      return this;
    }

    /** Builds a relay; call {@link OutboxRelay#start()} to run it on its own threads. */
    public OutboxRelay build() {
      return new OutboxRelay(this);
    }

    private static Duration positive(String what, Duration d) {
      if (required(what, d).isNegative() || d.isZero()) {
        throw new MqConfigurationException("OutboxRelay " + what + " must be positive, was " + d);
      }
      return d;
    }

    private static Duration notNegative(String what, Duration d) {
      if (required(what, d).isNegative()) {
        throw new MqConfigurationException("OutboxRelay " + what + " must not be negative, was " + d);
      }
      return d;
    }

    private static <T> T required(String what, T value) {
      if (value == null) {
        throw new MqConfigurationException("OutboxRelay " + what + " is null: pass a value or leave the default");
      }
      return value;
    }
  }
}
