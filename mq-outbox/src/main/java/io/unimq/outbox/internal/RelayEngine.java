package io.unimq.outbox.internal;

import io.unimq.api.Producer;
import io.unimq.outbox.OutboxException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relay's work, each step in its own short transaction: the live pass (rows never attempted),
 * the compensation sweep (rows still pending after the sweep delay, from the stored position), the
 * retention cleanup and the pending-rows snapshot. Rows stay locked ({@code FOR UPDATE SKIP
 * LOCKED}) from selection until they are marked, so relays sharing the table never publish the
 * same row in a normal run; a relay that dies mid-batch rolls back and its rows are published again
 * (same message ids). Thread-safe; the relay calls the live pass and the maintenance from one
 * thread each.
 *
 * <p>Internal and unstable: public only for {@link io.unimq.outbox.OutboxRelay}; not part of unimq's API and may change
 * in any release.
 */
public final class RelayEngine {
  private static final Logger log = LoggerFactory.getLogger(RelayEngine.class);
  private static final int CLEANUP_CHUNK = 5_000;

  private final DataSource dataSource;
  private final Producer producer;
  private final int batchSize;
  private final Duration sendTimeout;
  private final Duration sweepDelay;
  private final Duration retention;
  private final LongAdder published = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final AtomicBoolean failing = new AtomicBoolean();
  private final AtomicReference<OutboxDao.Pending> lastPending = new AtomicReference<>(new OutboxDao.Pending(0, null));

  public RelayEngine(DataSource dataSource, Producer producer, int batchSize, Duration sendTimeout, Duration sweepDelay,
      Duration retention) {
    this.dataSource = dataSource;
    this.producer = producer;
    this.batchSize = batchSize;
    this.sendTimeout = sendTimeout;
    this.sweepDelay = sweepDelay;
    this.retention = retention;
  }

  /** What one pass did: rows locked, published (confirmed and marked sent), left for later. */
  public record Pass(int locked, int published, int failed) {}

  /** Publishes one batch of never-attempted rows. */
  public Pass relayOnce() throws InterruptedException {
    return inTransaction("relay", c -> {
      Outcome outcome = publish(c, OutboxDao.lockLive(c, batchSize));
      if (outcome.firstUnconfirmed() >= 0) {
        // the unconfirmed rows now belong to the sweep: make sure its position is not past them
        OutboxDao.lowerSweepPosition(c, outcome.firstUnconfirmed(), Instant.now());
      }
      return outcome.pass();
    });
  }

  /** Publishes one batch of rows still pending {@code sweepDelay} after they were written, then advances the position. */
  public Pass sweepOnce() throws InterruptedException {
    long position = inTransaction("read sweep position", c -> OutboxDao.sweepPosition(c, false));
    Pass pass = inTransaction("sweep", c -> publish(c, OutboxDao.lockSweep(c, position, Instant.now().minus(sweepDelay), batchSize)).pass());
    inTransaction("advance sweep position", c -> {
      long current = OutboxDao.sweepPosition(c, true);
      long next = OutboxDao.nextSweepPosition(c, current);
      if (next > current) {
        OutboxDao.setSweepPosition(c, next, Instant.now());
      }
      return next;
    });
    if (pass.published() > 0) {
      log.info("outbox sweep re-sent {} row(s) pending for more than {}", pass.published(), sweepDelay);
    }
    return pass;
  }

  /** Deletes rows sent more than the retention ago; returns how many. */
  public long cleanupOnce() throws InterruptedException {
    Instant before = Instant.now().minus(retention);
    long total = 0;
    int n;
    do {
      n = inTransaction("cleanup", c -> OutboxDao.deleteSent(c, before, CLEANUP_CHUNK));
      total += n;
    } while (n == CLEANUP_CHUNK && !Thread.currentThread().isInterrupted());
    return total;
  }

  /** Reads the pending rows and the oldest one's age, and keeps it for the gauges. */
  public OutboxDao.Pending refreshPending() throws InterruptedException {
    OutboxDao.Pending p = inTransaction("count pending rows", OutboxDao::pending);
    lastPending.set(p);
    return p;
  }

  /** The snapshot of the last {@link #refreshPending()}. */
  public OutboxDao.Pending lastPending() {
    return lastPending.get();
  }

  public long publishedTotal() {
    return published.sum();
  }

  public long failedTotal() {
    return failed.sum();
  }

  /** The sweep's stored position. */
  public long sweepPosition() throws InterruptedException {
    return inTransaction("read sweep position", c -> OutboxDao.sweepPosition(c, false));
  }

  private record Outcome(Pass pass, long firstUnconfirmed) {}

  private Outcome publish(Connection c, List<OutboxRow> locked) throws SQLException, InterruptedException {
    if (locked.isEmpty()) {
      return new Outcome(new Pass(0, 0, 0), -1);
    }
    OutboxDao.Split split = OutboxDao.publishable(c, locked);
    List<OutboxRow> allowed = split.publish();
    Set<Long> confirmed = BatchPublisher.publish(producer, allowed, sendTimeout);
    List<Long> unconfirmed = new ArrayList<>();
    for (OutboxRow r : allowed) {
      if (!confirmed.contains(r.seq())) {
        unconfirmed.add(r.seq());
      }
    }
    // rows behind a failed row of their key wait for the sweep with it (the live pass would only skip them again)
    split.behindSweep().forEach(r -> unconfirmed.add(r.seq()));
    unconfirmed.sort(null);
    OutboxDao.markSent(c, confirmed, Instant.now());
    OutboxDao.markAttempted(c, unconfirmed);
    published.add(confirmed.size());
    int notConfirmed = allowed.size() - confirmed.size();
    failed.add(notConfirmed);
    logTransition(notConfirmed, allowed.size());
    return new Outcome(new Pass(locked.size(), confirmed.size(), notConfirmed),
        unconfirmed.isEmpty() ? -1 : unconfirmed.get(0));
  }

  /** Warns once when sends start failing and once when they recover, not on every batch of an outage. */
  private void logTransition(int notConfirmed, int attempted) {
    if (notConfirmed > 0 && failing.compareAndSet(false, true)) {
      log.warn("outbox: {} of {} row(s) not confirmed by the broker; they stay pending and are sent again"
          + " (further failures are logged at debug level until sends succeed)", notConfirmed, attempted);
    } else if (notConfirmed > 0) {
      log.debug("outbox: {} of {} row(s) not confirmed by the broker", notConfirmed, attempted);
    } else if (attempted > 0 && failing.compareAndSet(true, false)) {
      log.info("outbox: the broker confirms sends again");
    }
  }

  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException, InterruptedException;
  }

  private <T> T inTransaction(String what, Work<T> work) throws InterruptedException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException | InterruptedException e) {
        rollbackQuietly(c);
        throw e;
      }
    } catch (SQLException e) {
      throw new OutboxException("outbox " + what + " failed: " + e.getMessage(), e);
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      log.debug("rollback failed", e);
    }
  }
}
