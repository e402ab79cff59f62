/**
 * The h2q adapter as a module. {@code provides} is what ServiceLoader reads on the module path;
 * META-INF/services/io.unimq.spi.MqProvider is what it reads on the class path. Ship both.
 */
module com.example.h2q {
  requires io.unimq.api;
  requires java.sql;
  requires com.h2database; // automatic module too; found by DriverManager at run time

  exports com.example.h2q;

  provides io.unimq.spi.MqProvider with com.example.h2q.H2QueueProvider;
}
