package io.unimq.outbox;

import io.unimq.outbox.internal.Args;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The DDL of the outbox ({@code unimq_outbox}, {@code unimq_outbox_position}) and of the JDBC
 * idempotency store ({@code unimq_idempotency}). The scripts are classpath resources
 * ({@code io/unimq/outbox/outbox-postgresql.sql}, {@code outbox-h2.sql},
 * {@code idempotency-postgresql.sql}, {@code idempotency-h2.sql}) for migration tools; the methods
 * here run them directly. Every statement is {@code IF NOT EXISTS}: safe on every start.
 * Stateless and thread-safe.
 */
public final class OutboxSchema {
  /** The outbox table: one row per message. */
  public static final String OUTBOX_TABLE = "unimq_outbox";
  /** One row per named position; the compensation sweep's is {@code sweep}. */
  public static final String POSITION_TABLE = "unimq_outbox_position";
  /** The JDBC idempotency store's table. */
  public static final String IDEMPOTENCY_TABLE = "unimq_idempotency";

  private OutboxSchema() {}

  /** Creates the outbox tables if missing. */
  public static void create(DataSource dataSource, Dialect dialect) {
    run(dataSource, "outbox", dialect);
  }

  /** Creates the outbox tables if missing, on the caller's connection (committing if it is in auto-commit). */
  public static void create(Connection connection, Dialect dialect) {
    run(connection, "outbox", dialect);
  }

  /** Creates the idempotency store's table if missing. */
  public static void createIdempotency(DataSource dataSource, Dialect dialect) {
    run(dataSource, "idempotency", dialect);
  }

  public static void createIdempotency(Connection connection, Dialect dialect) {
    run(connection, "idempotency", dialect);
  }

  /** The outbox DDL script for {@code dialect}. */
  public static String outboxDdl(Dialect dialect) {
    return script("outbox", dialect);
  }

  /** The idempotency store's DDL script for {@code dialect}. */
  public static String idempotencyDdl(Dialect dialect) {
    return script("idempotency", dialect);
  }

  private static void run(DataSource dataSource, String name, Dialect dialect) {
    Args.required("dataSource", dataSource, "pass the javax.sql.DataSource to create the tables in");
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      run(c, name, dialect);
    } catch (SQLException e) {
      throw new OutboxException("cannot create the " + name + " tables", e);
    }
  }

  private static void run(Connection connection, String name, Dialect dialect) {
    Args.required("connection", connection, "pass an open java.sql.Connection");
    try (Statement st = connection.createStatement()) {
      for (String sql : statements(script(name, dialect))) {
        st.execute(sql);
      }
    } catch (SQLException e) {
      throw new OutboxException("cannot create the " + name + " tables (" + dialect + ")", e);
    }
  }

  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String sql = current.toString().strip();
        out.add(sql.substring(0, sql.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }

  private static String script(String name, Dialect dialect) {
    Args.required("dialect", dialect, "pass Dialect.POSTGRESQL, Dialect.H2 or Dialect.of(connection)");
    String resource = name + "-" + dialect.resourceSuffix() + ".sql";
    try (InputStream in = OutboxSchema.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource io/unimq/outbox/" + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
