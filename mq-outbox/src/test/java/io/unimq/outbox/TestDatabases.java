package io.unimq.outbox;

import io.unimq.testbrokers.TestBrokers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The databases of the tests: the test PostgreSQL of {@code scripts/brokers} (address from
 * {@link TestBrokers}; one fresh schema per test) and H2 in memory.
 */
final class TestDatabases {
  static final String POSTGRES_JDBC = TestBrokers.postgresJdbc();
  static final String POSTGRES_USER = TestBrokers.postgresUser();
  static final String POSTGRES_PASSWORD = TestBrokers.postgresPassword();

  private TestDatabases() {}

  /** A data source whose connections use a new, empty schema; drop it with {@link #dropPostgresSchema}. */
  static PGSimpleDataSource postgres(String schema) {
    PGSimpleDataSource admin = postgresDataSource();
    try (Connection c = admin.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL at " + POSTGRES_JDBC + " is not reachable: run scripts/brokers up postgres", e);
    }
    PGSimpleDataSource ds = postgresDataSource();
    ds.setCurrentSchema(schema);
    return ds;
  }

  static void dropPostgresSchema(String schema) {
    try (Connection c = postgresDataSource().getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static DataSource h2(String name) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
    ds.setUser("sa");
    return ds;
  }

  static String uniqueName(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  private static PGSimpleDataSource postgresDataSource() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(POSTGRES_JDBC);
    ds.setUser(POSTGRES_USER);
    ds.setPassword(POSTGRES_PASSWORD);
    ds.setConnectTimeout(5);
    return ds;
  }
}
