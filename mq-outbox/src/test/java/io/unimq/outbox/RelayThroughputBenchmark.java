package io.unimq.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Relay throughput against PostgreSQL with a memory:// producer. Off by default; run with
 *
 * <pre>
 * mvn -f mq-outbox/pom.xml test -Dtest=RelayThroughputBenchmark -Dunimq.outbox.benchmark=true \
 *     [-Dunimq.outbox.benchmark.rows=20000 -Dunimq.outbox.benchmark.keys=100 -Dunimq.outbox.benchmark.relays=1
 *      -Dunimq.outbox.benchmark.batch=500 -Dunimq.outbox.benchmark.uri=memory://bench]
 * </pre>
 */
@EnabledIfSystemProperty(named = "unimq.outbox.benchmark", matches = "true")
class RelayThroughputBenchmark {
  @Test
  void relayThroughputOnPostgres() throws Exception {
    int rows = Integer.getInteger("unimq.outbox.benchmark.rows", 20_000);
    int keys = Integer.getInteger("unimq.outbox.benchmark.keys", 100);
    int relays = Integer.getInteger("unimq.outbox.benchmark.relays", 1);
    int batch = Integer.getInteger("unimq.outbox.benchmark.batch", OutboxRelay.DEFAULT_BATCH_SIZE);
    String uri = System.getProperty("unimq.outbox.benchmark.uri", "memory://bench-" + UUID.randomUUID());
    String schema = TestDatabases.uniqueName("bench");
    TestPool db = new TestPool(TestDatabases.postgres(schema));
    try (MqClient client = Mq.connect(uri)) {
      OutboxSchema.create(db, Dialect.POSTGRESQL);
      long writeStart = System.nanoTime();
      for (int i = 0; i < rows; i += 1_000) {
        List<Message> chunk = new ArrayList<>();
        for (int j = i; j < Math.min(rows, i + 1_000); j++) {
          chunk.add(Message.builder("bench-" + schema).key("k" + (j % keys)).header("n", Integer.toString(j)).body(new byte[256]).build());
        }
        try (Connection c = db.getConnection()) {
          c.setAutoCommit(false);
          Outbox.write(c, chunk);
          c.commit();
        }
      }
      double writeSeconds = (System.nanoTime() - writeStart) / 1e9;

      List<OutboxRelay> running = new ArrayList<>();
      long start = System.nanoTime();
      for (int r = 0; r < relays; r++) {
        running.add(OutboxRelay.builder(db, client.producer()).name("bench-" + r).batchSize(batch)
            .interval(Duration.ofMillis(10)).build().start());
      }
      while (pending(db) > 0) {
        Thread.sleep(20);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      running.forEach(OutboxRelay::close);
      System.out.printf("%n[outbox benchmark] PostgreSQL, %d rows (256-byte bodies, %d keys), %d relay(s), batch %d:%n"
          + "  written in %.2f s (%.0f rows/s in 1000-row transactions)%n"
          + "  relayed in %.2f s = %.0f rows/s through %s:// (sends of one key chained on confirms)%n%n",
          rows, keys, relays, batch, writeSeconds, rows / writeSeconds, seconds, rows / seconds, client.scheme());
      assertThat(pending(db)).isZero();
    } finally {
      db.killAll();
      TestDatabases.dropPostgresSchema(schema);
    }
  }

  private static long pending(TestPool db) throws Exception {
    try (Connection c = db.getConnection(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM unimq_outbox WHERE sent_at IS NULL")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
