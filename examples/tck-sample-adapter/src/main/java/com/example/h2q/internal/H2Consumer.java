package com.example.h2q.internal;

import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.InboundMessage;
import io.unimq.spi.TransportConsumer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Claims ready rows of one group by writing its id into {@code owner} (one UPDATE, so two members
 * never claim the same row), then reads what it claimed. Closing gives its unsettled rows back.
 * {@link #poll} runs on the engine's poll thread; deliveries are settled from any thread.
 */
final class H2Consumer implements TransportConsumer {
  private static final AtomicLong CLAIMS = new AtomicLong();
  private static final String CLAIM = "UPDATE mq_message SET owner = ?, claim = ? WHERE owner IS NULL AND seq IN ("
      + "SELECT seq FROM mq_message WHERE topic = ? AND grp = ? AND NOT dead AND owner IS NULL AND visible_at <= ?"
      + " ORDER BY seq FETCH FIRST ? ROWS ONLY)";
  private static final String CLAIMED = "SELECT " + Rows.COLUMNS + " FROM mq_message WHERE owner = ? AND claim = ? ORDER BY seq";

  private final Db db;
  private final Signal signal;
  private final ConsumerSpec spec;
  private final long pollIntervalMillis;
  private final AtomicBoolean woken = new AtomicBoolean();

  H2Consumer(Db db, Signal signal, ConsumerSpec spec, Duration pollInterval) {
    this.db = db;
    this.signal = signal;
    this.spec = spec;
    this.pollIntervalMillis = Math.max(1, pollInterval.toMillis());
  }

  @Override
  public List<InboundMessage> poll(int max, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long seen = signal.version();
      List<InboundMessage> got = claim(max);
      if (!got.isEmpty() || woken.getAndSet(false)) {
        return got;
      }
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        return got;
      }
      signal.await(seen, Math.min(left, pollIntervalMillis));
    }
  }

  private List<InboundMessage> claim(int max) {
    long claim = CLAIMS.incrementAndGet();
    int n = db.update(CLAIM, spec.consumerId(), claim, spec.topic(), spec.group(), System.currentTimeMillis(), max);
    if (n == 0) {
      return List.of();
    }
    return db.query(CLAIMED, rs -> new H2Delivery(db, signal, rs.getLong("seq"), spec.consumerId(), claim, Rows.message(rs)),
        spec.consumerId(), claim);
  }

  @Override
  public void wakeup() {
    woken.set(true);
    signal.fire();
  }

  @Override
  public void close() {
    try {
      db.update("UPDATE mq_message SET owner = NULL, claim = NULL WHERE owner = ?", spec.consumerId());
      signal.fire();
    } finally {
      db.close();
    }
  }
}
