package com.example.h2q.internal;

import io.unimq.api.Message;
import io.unimq.spi.DeadLetterStore;
import io.unimq.spi.Headers;
import java.util.List;
import java.util.Map;

/** A group's dead letters: its rows marked {@code dead}. Thread-safe. */
final class H2DeadLetters implements DeadLetterStore {
  private static final String GROUP = " FROM mq_message WHERE topic = ? AND grp = ? AND dead";

  private final Db db;
  private final Signal signal;
  private final String topic;
  private final String group;

  H2DeadLetters(Db db, Signal signal, String topic, String group) {
    this.db = db;
    this.signal = signal;
    this.topic = topic;
    this.group = group;
  }

  @Override
  public long count() {
    return db.count("SELECT COUNT(*)" + GROUP, topic, group);
  }

  @Override
  public List<Message> peek(int max) {
    return db.query("SELECT " + Rows.COLUMNS + GROUP + " ORDER BY seq FETCH FIRST ? ROWS ONLY", Rows::message, topic, group, max);
  }

  /** Back to this group only: the row is the group's own copy, so no other group sees it again. */
  @Override
  public long replay() {
    long replayed = 0;
    List<Map.Entry<Long, Message>> dead = db.query("SELECT " + Rows.COLUMNS + GROUP + " ORDER BY seq",
        rs -> Map.entry(rs.getLong("seq"), Rows.message(rs)), topic, group);
    for (Map.Entry<Long, Message> row : dead) {
      replayed += db.update("UPDATE mq_message SET headers = ?, dead = FALSE, visible_at = ? WHERE seq = ? AND dead",
          Rows.encode(Headers.stripForReplay(row.getValue()).headers()), System.currentTimeMillis(), row.getKey());
    }
    signal.fire();
    return replayed;
  }

  @Override
  public long purge() {
    return db.update("DELETE" + GROUP, topic, group);
  }
}
