package com.example.h2q.internal;

import io.unimq.api.Message;
import io.unimq.spi.InboundMessage;
import java.time.Duration;

/**
 * One claimed row. Every settlement is one statement guarded by the claim, so a delivery that was
 * given back (and perhaps claimed by another member) can no longer change the row. Thread-safe.
 */
final class H2Delivery implements InboundMessage {
  private static final String MINE = " WHERE seq = ? AND owner = ? AND claim = ?";

  private final Db db;
  private final Signal signal;
  private final long seq;
  private final String owner;
  private final long claim;
  private final Message message;

  H2Delivery(Db db, Signal signal, long seq, String owner, long claim, Message message) {
    this.db = db;
    this.signal = signal;
    this.seq = seq;
    this.owner = owner;
    this.claim = claim;
    this.message = message;
  }

  @Override
  public Message message() {
    return message;
  }

  @Override
  public void ack() {
    db.update("DELETE FROM mq_message" + MINE, seq, owner, claim);
  }

  @Override
  public void retryLater(Message next, Duration delay) {
    // same row, new headers (the engine's attempt count), hidden until the backoff has passed
    db.update("UPDATE mq_message SET headers = ?, visible_at = ?, owner = NULL, claim = NULL" + MINE,
        Rows.encode(next.headers()), System.currentTimeMillis() + delay.toMillis(), seq, owner, claim);
  }

  @Override
  public void deadLetter(Message dead) {
    db.update("UPDATE mq_message SET headers = ?, dead = TRUE, owner = NULL, claim = NULL" + MINE,
        Rows.encode(dead.headers()), seq, owner, claim);
  }

  @Override
  public void release() {
    if (db.update("UPDATE mq_message SET owner = NULL, claim = NULL" + MINE, seq, owner, claim) > 0) {
      signal.fire();
    }
  }
}
