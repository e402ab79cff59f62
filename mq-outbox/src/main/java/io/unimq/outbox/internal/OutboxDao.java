package io.unimq.outbox.internal;

import io.unimq.api.Message;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SQL of the outbox, the same text on PostgreSQL and H2. Every method runs on the caller's
 * connection and transaction. Stateless and thread-safe.
 *
 * <p>Internal and unstable: public only for {@link io.unimq.outbox.Outbox}; not part of unimq's API and may change
 * in any release.
 */
public final class OutboxDao {
  static final String SWEEP = "sweep";
  private static final String COLUMNS = "seq, id, topic, msg_key, headers, body, deliver_at";

  private OutboxDao() {}

  /** Inserts one message row; the caller's transaction commits it. */
  public static void insert(Connection c, List<Message> messages, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO unimq_outbox (id, topic, msg_key, headers, body, deliver_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (Message m : messages) {
        ps.setString(1, m.id());
        ps.setString(2, m.topic());
        ps.setString(3, m.key());
        ps.setString(4, HeaderCodec.encode(m.headers()));
        ps.setBytes(5, m.body());
        setInstant(ps, 6, m.deliverAt());
        setInstant(ps, 7, now);
        if (messages.size() == 1) {
          ps.executeUpdate();
        } else {
          ps.addBatch();
        }
      }
      if (messages.size() > 1) {
        ps.executeBatch();
      }
    }
  }

  /** Locks up to {@code limit} never-attempted pending rows, oldest first, skipping rows another relay holds. */
  static List<OutboxRow> lockLive(Connection c, int limit) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM unimq_outbox"
        + " WHERE sent_at IS NULL AND attempts = 0 ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED")) {
      ps.setInt(1, limit);
      return rows(ps);
    }
  }

  /** Locks up to {@code limit} pending rows at or after {@code position} created before {@code createdBefore}. */
  static List<OutboxRow> lockSweep(Connection c, long position, Instant createdBefore, int limit) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM unimq_outbox"
        + " WHERE sent_at IS NULL AND seq >= ? AND created_at <= ? ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED")) {
      ps.setLong(1, position);
      setInstant(ps, 2, createdBefore);
      ps.setInt(3, limit);
      return rows(ps);
    }
  }

  /** The locked rows split into those to publish now and those held back behind an earlier row of their key. */
  record Split(List<OutboxRow> publish, List<OutboxRow> behindSweep) {}

  /**
   * Splits {@code locked}: a keyed row is held back when an earlier pending row of its key is not
   * among {@code locked}, so that a key is published in sequence order by one relay at a time. Rows
   * held back behind a row that already failed ({@code attempts > 0}, so it waits for the sweep) are
   * reported in {@link Split#behindSweep()}; rows held back behind a row another relay is sending
   * are simply left for the next pass.
   */
  static Split publishable(Connection c, List<OutboxRow> locked) throws SQLException {
    Set<String> keys = new LinkedHashSet<>();
    long maxSeq = 0;
    for (OutboxRow r : locked) {
      if (r.key() != null) {
        keys.add(r.key());
        maxSeq = Math.max(maxSeq, r.seq());
      }
    }
    if (keys.isEmpty()) {
      return new Split(locked, List.of());
    }
    Set<Long> mine = new HashSet<>();
    locked.forEach(r -> mine.add(r.seq()));
    Map<String, long[]> firstForeign = new HashMap<>(); // key -> {seq, attempts}
    String in = String.join(", ", Collections.nCopies(keys.size(), "?"));
    try (PreparedStatement ps = c.prepareStatement("SELECT msg_key, seq, attempts FROM unimq_outbox"
        + " WHERE sent_at IS NULL AND seq < ? AND msg_key IN (" + in + ") ORDER BY seq")) {
      ps.setLong(1, maxSeq);
      int i = 2;
      for (String k : keys) {
        ps.setString(i++, k);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long seq = rs.getLong(2);
          if (!mine.contains(seq)) {
            firstForeign.putIfAbsent(rs.getString(1), new long[] {seq, rs.getInt(3)});
          }
        }
      }
    }
    if (firstForeign.isEmpty()) {
      return new Split(locked, List.of());
    }
    List<OutboxRow> publish = new ArrayList<>(locked.size());
    List<OutboxRow> behindSweep = new ArrayList<>();
    for (OutboxRow r : locked) {
      long[] foreign = r.key() == null ? null : firstForeign.get(r.key());
      if (foreign == null || r.seq() < foreign[0]) {
        publish.add(r);
      } else if (foreign[1] > 0) {
        behindSweep.add(r);
      }
    }
    return new Split(publish, behindSweep);
  }

  static void markSent(Connection c, Collection<Long> seqs, Instant now) throws SQLException {
    updateAll(c, "UPDATE unimq_outbox SET sent_at = ? WHERE seq = ANY (?) AND sent_at IS NULL", seqs, now);
  }

  static void markAttempted(Connection c, Collection<Long> seqs) throws SQLException {
    updateAll(c, "UPDATE unimq_outbox SET attempts = attempts + 1 WHERE seq = ANY (?)", seqs, null);
  }

  /** One statement for all {@code seqs}, bound as an array (the last parameter); {@code at}, if any, first. */
  private static void updateAll(Connection c, String sql, Collection<Long> seqs, Instant at) throws SQLException {
    if (seqs.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      if (at != null) {
        setInstant(ps, i++, at);
      }
      ps.setArray(i, c.createArrayOf("BIGINT", seqs.toArray(new Long[0])));
      ps.executeUpdate();
    }
  }

  /** Moves the sweep's position back to {@code seq} if it is past it (the row now waits for the sweep). */
  static void lowerSweepPosition(Connection c, long seq, Instant now) throws SQLException {
    updateSweepPosition(c, "LEAST(position, ?)", seq, now);
  }

  /** The sweep's position (0 when its row is missing); with {@code lock}, its row stays locked until the transaction ends. */
  static long sweepPosition(Connection c, boolean lock) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT position FROM unimq_outbox_position WHERE name = ?" + (lock ? " FOR UPDATE" : ""))) {
      ps.setString(1, SWEEP);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** The lowest pending seq at or after {@code from}; when none, one past the highest seq (or {@code from} when empty). */
  static long nextSweepPosition(Connection c, long from) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT MIN(seq) FROM unimq_outbox WHERE sent_at IS NULL AND seq >= ?")) {
      ps.setLong(1, from);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long min = rs.getLong(1);
        if (!rs.wasNull()) {
          return min;
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT MAX(seq) FROM unimq_outbox"); ResultSet rs = ps.executeQuery()) {
      rs.next();
      long max = rs.getLong(1);
      return rs.wasNull() ? from : Math.max(from, max + 1);
    }
  }

  static void setSweepPosition(Connection c, long position, Instant now) throws SQLException {
    updateSweepPosition(c, "?", position, now);
  }

  private static void updateSweepPosition(Connection c, String expression, long value, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE unimq_outbox_position SET position = " + expression + ", updated_at = ? WHERE name = ?")) {
      ps.setLong(1, value);
      setInstant(ps, 2, now);
      ps.setString(3, SWEEP);
      ps.executeUpdate();
    }
  }

  /** Deletes up to {@code chunk} rows sent before {@code before}; returns how many. */
  static int deleteSent(Connection c, Instant before, int chunk) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM unimq_outbox WHERE seq IN (SELECT seq FROM unimq_outbox"
        + " WHERE sent_at IS NOT NULL AND sent_at < ? LIMIT ?)")) {
      setInstant(ps, 1, before);
      ps.setInt(2, chunk);
      return ps.executeUpdate();
    }
  }

  /** Pending rows and the creation time of the oldest (null when none). */
  public record Pending(long rows, Instant oldestCreatedAt) {}

  static Pending pending(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), MIN(created_at) FROM unimq_outbox WHERE sent_at IS NULL");
         ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new Pending(rs.getLong(1), instant(rs, 2));
    }
  }

  private static List<OutboxRow> rows(PreparedStatement ps) throws SQLException {
    List<OutboxRow> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new OutboxRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getBytes(6), instant(rs, 7)));
      }
    }
    return out;
  }

  static void setInstant(PreparedStatement ps, int index, Instant at) throws SQLException {
    if (at == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(index, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
    }
  }

  private static Instant instant(ResultSet rs, int index) throws SQLException {
    Object o = rs.getObject(index);
    if (o == null) {
      return null;
    }
    if (o instanceof OffsetDateTime odt) {
      return odt.toInstant();
    }
    if (o instanceof Timestamp ts) {
      return ts.toInstant();
    }
    return rs.getObject(index, OffsetDateTime.class).toInstant();
  }
}
