package io.unimq.outbox;

import io.unimq.outbox.internal.Args;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The SQL dialects the outbox and the JDBC idempotency store speak. Both support
 * {@code SELECT ... FOR UPDATE SKIP LOCKED}, so several relays may share one table on either.
 */
public enum Dialect {
  POSTGRESQL("postgresql"),
  /** H2 2.x, the embedded default of the examples. */
  H2("h2");

  private final String resourceSuffix;

  Dialect(String resourceSuffix) {
    this.resourceSuffix = resourceSuffix;
  }

  /** The suffix of the DDL resources, for example {@code outbox-postgresql.sql}. */
  String resourceSuffix() {
    return resourceSuffix;
  }

  /**
   * The dialect of an open connection, from its database product name.
   *
   * @throws OutboxException the database is neither PostgreSQL nor H2
   */
  public static Dialect of(Connection connection) {
    Args.required("connection", connection, "pass an open java.sql.Connection");
    String product;
    try {
      product = connection.getMetaData().getDatabaseProductName();
    } catch (SQLException e) {
      throw new OutboxException("cannot read the database product name", e);
    }
    String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
    if (p.contains("postgres")) {
      return POSTGRESQL;
    }
    if (p.equals("h2")) {
      return H2;
    }
    throw new OutboxException("unsupported database '" + product + "': the outbox supports PostgreSQL and H2", null);
  }
}
