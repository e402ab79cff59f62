package com.example.h2q.internal;

import io.unimq.api.Message;
import io.unimq.spi.DeadLetterStore;
import java.util.List;

/**
 * The dead letters of each group: its rows marked {@code dead}, a dead letter's position its row's
 * {@code seq} (and its cursor). Reading after a cursor reads the rows past that {@code seq}; removing
 * chosen dead letters deletes their rows. Republish inserts a new row for that group only.
 * Thread-safe.
 */
final class H2DeadLetters implements DeadLetterStore {
  private static final String GROUP = " FROM mq_message WHERE topic = ? AND grp = ? AND dead";
  private static final String REPUBLISH = "INSERT INTO mq_message (topic, grp, id, msg_key, headers, body, visible_at)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?)";

  private final Db db;
  private final Signal signal;

  H2DeadLetters(Db db, Signal signal) {
    this.db = db;
    this.signal = signal;
  }

  @Override
  public long count(String topic, String group) {
    return db.count("SELECT COUNT(*)" + GROUP, topic, group);
  }

  @Override
  public List<DeadLetter> read(String topic, String group, int max) {
    return db.query("SELECT " + Rows.COLUMNS + GROUP + " ORDER BY seq FETCH FIRST ? ROWS ONLY",
        rs -> new DeadLetter(Rows.message(rs), rs.getLong("seq")), topic, group, max);
  }

  @Override
  public List<DeadLetter> readAfter(String topic, String group, String cursor, int max) {
    long after = DeadLetterStore.numericCursor(cursor, topic, group);
    return db.query("SELECT " + Rows.COLUMNS + GROUP + " AND seq > ? ORDER BY seq FETCH FIRST ? ROWS ONLY",
        rs -> new DeadLetter(Rows.message(rs), rs.getLong("seq")), topic, group, after, max);
  }

  @Override
  public void removeChosen(String topic, String group, List<DeadLetter> letters) {
    remove(topic, group, letters);
  }

  @Override
  public void republish(String topic, String group, Message m) {
    db.update(REPUBLISH, topic, group, m.id(), m.key(), Rows.encode(m.headers()), m.body(), System.currentTimeMillis());
    signal.fire();
  }

  @Override
  public void remove(String topic, String group, List<DeadLetter> letters) {
    for (DeadLetter d : letters) {
      db.update("DELETE FROM mq_message WHERE seq = ? AND dead", d.position());
    }
  }

  @Override
  public long purge(String topic, String group) {
    return db.update("DELETE" + GROUP, topic, group);
  }
}
