package io.unimq.outbox;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A minimal connection pool for the tests (applications use HikariCP or similar): physical
 * connections are reused; {@code close()} hands one back after a rollback of anything left open.
 * {@link #killAll()} closes every physical connection handed out, as a crashed process would lose them.
 * Thread-safe.
 */
final class TestPool implements DataSource {
  private final DataSource physical;
  private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Connection> all = new ConcurrentLinkedQueue<>();

  TestPool(DataSource physical) {
    this.physical = physical;
  }

  /** The data source of the physical connections. */
  DataSource physical() {
    return physical;
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection c;
    while ((c = idle.poll()) != null && c.isClosed()) {
      all.remove(c);
    }
    if (c == null) {
      c = physical.getConnection();
      all.add(c);
    }
    Connection target = c;
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (method.getName().equals("close")) {
            giveBack(target);
            return null;
          }
          try {
            return method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private void giveBack(Connection c) throws SQLException {
    if (c.isClosed()) {
      all.remove(c);
      return;
    }
    if (!c.getAutoCommit()) {
      c.rollback();
      c.setAutoCommit(true);
    }
    idle.add(c);
  }

  /** Closes every physical connection, in use or idle. */
  void killAll() {
    for (Connection c : all) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already gone
      }
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }
}
