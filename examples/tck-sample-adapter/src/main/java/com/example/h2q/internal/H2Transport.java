package com.example.h2q.internal;

import io.unimq.api.Capability;
import io.unimq.api.Message;
import io.unimq.api.MqClosedException;
import io.unimq.api.MqUnsupportedException;
import io.unimq.api.SendReceipt;
import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.DeadLetterStore;
import io.unimq.spi.Transport;
import io.unimq.spi.TransportConsumer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The h2q transport: a topic is the set of its groups in {@code mq_group}; publishing inserts one
 * row per group into {@code mq_message}; a group's queue is its rows in {@code seq} order. Only
 * moves bytes: retries, backoff, ordering and dead-letter envelopes are the engine's. Thread-safe.
 */
public final class H2Transport implements Transport {
  private static final String PUBLISH = "INSERT INTO mq_message (topic, grp, id, msg_key, headers, body, visible_at)"
      + " SELECT topic, grp, CAST(? AS VARCHAR(1000)), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS BLOB),"
      + " CAST(? AS BIGINT) FROM mq_group WHERE topic = ?";

  private final Db db;
  private final Signal signal;
  private final Duration pollInterval;
  private final int maxMessageSize;
  private final H2DeadLetters deadLetters;
  private volatile boolean closed;

  private H2Transport(Db db, Duration pollInterval, int maxMessageSize) {
    this.db = db;
    this.signal = Signal.of(db.url);
    this.deadLetters = new H2DeadLetters(db, signal);
    this.pollInterval = pollInterval;
    this.maxMessageSize = maxMessageSize;
  }

  /** Opens a connection to {@code url}, creating the tables if missing. */
  public static H2Transport open(String url, Duration pollInterval, int maxMessageSize) {
    return new H2Transport(Db.open(url), pollInterval, maxMessageSize);
  }

  @Override
  public int maxMessageSize() {
    return maxMessageSize;
  }

  @Override
  public CompletableFuture<SendReceipt> publish(Message m) {
    if (closed) {
      return CompletableFuture.failedFuture(new MqClosedException("h2q transport is closed"));
    }
    if (m.deliverAt() != null && m.deliverAt().isAfter(Instant.now())) {
      // DELAY is not declared; say so rather than deliver early
      return CompletableFuture.failedFuture(new MqUnsupportedException(Capability.DELAY, "h2q"));
    }
    try {
      db.update(PUBLISH, m.id(), m.key(), Rows.encode(m.headers()), m.body(), System.currentTimeMillis(), m.topic());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    signal.fire();
    return CompletableFuture.completedFuture(new SendReceipt(m.id(), m.topic(), null));
  }

  @Override
  public void declareTopic(String topic) {
    // a topic exists through its groups; nothing to create
  }

  @Override
  public void declareGroup(String topic, String group, boolean ordered) {
    db.update("MERGE INTO mq_group (topic, grp) KEY (topic, grp) VALUES (?, ?)", topic, group);
  }

  @Override
  public TransportConsumer openConsumer(ConsumerSpec spec) {
    return new H2Consumer(Db.open(db.url), signal, spec, pollInterval);
  }

  @Override
  public long lag(String topic, String group) {
    return db.count("SELECT COUNT(*) FROM mq_message WHERE topic = ? AND grp = ? AND NOT dead", topic, group);
  }

  @Override
  public DeadLetterStore deadLetterStore() {
    return deadLetters;
  }

  @Override
  public void close() {
    closed = true;
    db.close();
  }
}
