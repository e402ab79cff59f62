package io.unimq.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** One fresh database for one test: a PostgreSQL schema (pooled connections) or an H2 in-memory database. */
record TestDatabase(DataSource dataSource, Dialect dialect, Runnable closer) {
  void close() {
    closer.run();
  }

  static TestDatabase postgres() {
    String schema = TestDatabases.uniqueName("outbox");
    TestPool pool = new TestPool(TestDatabases.postgres(schema));
    return new TestDatabase(pool, Dialect.POSTGRESQL, () -> {
      pool.killAll();
      TestDatabases.dropPostgresSchema(schema);
    });
  }

  static TestDatabase h2() {
    DataSource ds = TestDatabases.h2(TestDatabases.uniqueName("outbox"));
    return new TestDatabase(ds, Dialect.H2, () -> {
      try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
        st.execute("SHUTDOWN");
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
  }
}
