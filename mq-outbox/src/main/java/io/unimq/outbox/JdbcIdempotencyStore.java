package io.unimq.outbox;

import io.unimq.api.IdempotencyStore;
import io.unimq.outbox.internal.IdempotencyKeys;
import io.unimq.outbox.internal.Args;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * {@link IdempotencyStore} in a database table ({@code unimq_idempotency}, created by
 * {@link OutboxSchema#createIdempotency}): the unique key makes acquisition atomic across every
 * process sharing the database. A key is processing (state {@code P}, until its lease ends, owned
 * by this store instance) or done (state {@code D}, until its TTL ends); an expired row is taken
 * over. Each call is one short auto-commit transaction on a connection from the data source.
 * Expiry uses this JVM's clock, so the processes sharing a table need roughly synchronized clocks.
 * Keys longer than 200 characters are stored as their SHA-256. Thread-safe.
 */
public final class JdbcIdempotencyStore implements IdempotencyStore {
  private static final int MAX_TRIES = 5;
  private final DataSource dataSource;
  private final Dialect dialect;
  private final String owner = IdempotencyKeys.newOwner();

  public JdbcIdempotencyStore(DataSource dataSource, Dialect dialect) {
    this.dataSource = Args.required("dataSource", dataSource, "pass the javax.sql.DataSource of the database holding the table");
    this.dialect = Args.required("dialect", dialect, "pass Dialect.POSTGRESQL, Dialect.H2 or Dialect.of(connection)");
  }

  @Override
  public Acquire tryAcquire(String key, Duration lease) {
    String k = IdempotencyKeys.storageKey(key);
    try (Connection c = connection()) {
      for (int i = 0; i < MAX_TRIES; i++) {
        long now = System.currentTimeMillis();
        long expires = now + lease.toMillis();
        if (insertProcessing(c, k, expires) || takeOverExpired(c, k, expires, now)) {
          return Acquire.ACQUIRED;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT state, expires_at FROM unimq_idempotency WHERE idem_key = ?")) {
          ps.setString(1, k);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next() && rs.getLong(2) > now) {
              return "D".equals(rs.getString(1).strip()) ? Acquire.DONE : Acquire.IN_PROGRESS;
            }
          }
        }
        // the row vanished or expired between the statements: try again
      }
      return Acquire.IN_PROGRESS;
    } catch (SQLException e) {
      throw new OutboxException("idempotency store: cannot acquire key " + key + ": " + e.getMessage(), e);
    }
  }

  private boolean insertProcessing(Connection c, String k, long expires) throws SQLException {
    String sql = dialect == Dialect.POSTGRESQL
        ? "INSERT INTO unimq_idempotency (idem_key, state, owner, expires_at) VALUES (?, 'P', ?, ?) ON CONFLICT (idem_key) DO NOTHING"
        : "INSERT INTO unimq_idempotency (idem_key, state, owner, expires_at) VALUES (?, 'P', ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, k);
      ps.setString(2, owner);
      ps.setLong(3, expires);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      if ("23505".equals(e.getSQLState())) {
        return false;
      }
      throw e;
    }
  }

  private boolean takeOverExpired(Connection c, String k, long expires, long now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE unimq_idempotency SET state = 'P', owner = ?, expires_at = ? WHERE idem_key = ? AND expires_at <= ?")) {
      ps.setString(1, owner);
      ps.setLong(2, expires);
      ps.setString(3, k);
      ps.setLong(4, now);
      return ps.executeUpdate() == 1;
    }
  }

  /** What is left of the key's lease while it is processing (by any owner), by this JVM's clock; otherwise zero. */
  @Override
  public Duration leaseRemaining(String key) {
    try (Connection c = connection();
         PreparedStatement ps = c.prepareStatement("SELECT state, expires_at FROM unimq_idempotency WHERE idem_key = ?")) {
      ps.setString(1, IdempotencyKeys.storageKey(key));
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && "P".equals(rs.getString(1).strip())) {
          return Duration.ofMillis(Math.max(0, rs.getLong(2) - System.currentTimeMillis()));
        }
        return Duration.ZERO;
      }
    } catch (SQLException e) {
      throw new OutboxException("idempotency store: cannot read the lease of key " + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void markDone(String key, Duration ttl) {
    String sql = dialect == Dialect.POSTGRESQL
        ? "INSERT INTO unimq_idempotency (idem_key, state, owner, expires_at) VALUES (?, 'D', NULL, ?)"
            + " ON CONFLICT (idem_key) DO UPDATE SET state = 'D', owner = NULL, expires_at = EXCLUDED.expires_at"
        : "MERGE INTO unimq_idempotency (idem_key, state, owner, expires_at) KEY (idem_key) VALUES (?, 'D', NULL, ?)";
    update(key, "mark done", sql, System.currentTimeMillis() + ttl.toMillis());
  }

  @Override
  public void release(String key) {
    update(key, "release", "DELETE FROM unimq_idempotency WHERE idem_key = ? AND state = 'P' AND owner = ?", owner);
  }

  /** Deletes the rows whose lease or TTL has ended; returns how many. Run it now and then to bound the table. */
  public int purgeExpired() {
    try (Connection c = connection();
         PreparedStatement ps = c.prepareStatement("DELETE FROM unimq_idempotency WHERE expires_at <= ?")) {
      ps.setLong(1, System.currentTimeMillis());
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new OutboxException("idempotency store: cannot purge expired keys: " + e.getMessage(), e);
    }
  }

  private void update(String key, String what, String sql, Object second) {
    try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, IdempotencyKeys.storageKey(key));
      ps.setObject(2, second);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new OutboxException("idempotency store: cannot " + what + " key " + key + ": " + e.getMessage(), e);
    }
  }

  private Connection connection() throws SQLException {
    Connection c = dataSource.getConnection();
    if (!c.getAutoCommit()) {
      c.setAutoCommit(true);
    }
    return c;
  }
}
