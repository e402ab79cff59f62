package io.unimq.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.unimq.api.Idempotent;
import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.SubscriptionOptions;
import io.unimq.testbrokers.TestBrokers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A consumer killed with {@code kill -9} while its {@link Idempotent} handler runs (a separate JVM,
 * {@link BlockingIdempotentConsumer}) leaves its keys held in PostgreSQL until their lease ends. The
 * broker redelivers those messages to a new member of the group, which meets the held keys: it must
 * wait for the lease (not burn its attempts and dead-letter them), and handle every message exactly
 * once, with the default retry policy and no manual replay. The lease (30 s) outlives the default
 * retry schedule (1+2+4+8 s) after the earliest redelivery, so without waiting the held messages end
 * in the dead letters.
 */
class IdempotentConsumerCrashTest {
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final int MESSAGES = 12;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "rabbitmq", "kafka"})
  void keysHeldByAKilledConsumerAreHandledOnceAfterTheirLeaseAndNeverDeadLettered(String broker) throws Exception {
    String base = switch (broker) {
      case "redis" -> TestBrokers.redisUri();
      case "rabbitmq" -> TestBrokers.rabbitmqUri();
      default -> TestBrokers.kafkaUri();
    };
    String uri = base + (base.contains("?") ? "&" : "?") + "connectTimeout=30s"; // a loaded CI machine
    String schema = TestDatabases.uniqueName("crash");
    PGSimpleDataSource ds = TestDatabases.postgres(schema);
    String topic = "idem-crash-" + UUID.randomUUID();
    String group = "idem-crash-g";
    Process child = null;
    try {
      OutboxSchema.createIdempotency(ds, Dialect.POSTGRESQL);
      exec(ds, "CREATE TABLE started (id VARCHAR(64) NOT NULL)");
      exec(ds, "CREATE TABLE effects (id VARCHAR(64) PRIMARY KEY, n INT NOT NULL, at_ms BIGINT NOT NULL)");
      child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m", "-cp", System.getProperty("java.class.path"),
          BlockingIdempotentConsumer.class.getName(), uri, topic, group, TestDatabases.POSTGRES_JDBC,
          TestDatabases.POSTGRES_USER, TestDatabases.POSTGRES_PASSWORD, schema, Long.toString(LEASE.toMillis()))
          .redirectErrorStream(true).start();
      awaitReady(child);
      try (MqClient client = Mq.connect(uri)) {
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < MESSAGES; i++) {
          sent.add(client.producer().send(Message.builder(topic).body("m" + i).build()).messageId());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> started(ds).size() >= 2);
        long killedAt = System.currentTimeMillis();
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: mid-handler, keys left held
        Set<String> held = new HashSet<>(started(ds));

        JdbcIdempotencyStore store = new JdbcIdempotencyStore(ds, Dialect.POSTGRESQL);
        client.subscribe(topic, group, SubscriptionOptions.builder().concurrency(1).build(), Idempotent.wrap(d -> {
          try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
              "INSERT INTO effects (id, n, at_ms) VALUES (?, 1, ?) ON CONFLICT (id) DO UPDATE SET n = effects.n + 1")) {
            ps.setString(1, d.id());
            ps.setLong(2, System.currentTimeMillis());
            ps.executeUpdate();
          }
        }, store, Message::id, LEASE, Idempotent.DEFAULT_DONE_TTL));

        // bound: the held keys' lease ends at most LEASE after the kill; then one delayed redelivery
        Duration bound = LEASE.plusSeconds(20);
        await().atMost(bound).pollInterval(Duration.ofMillis(200)).until(() -> effects(ds).size() == MESSAGES);
        long doneAt = System.currentTimeMillis();
        Map<String, long[]> effects = effects(ds);
        assertThat(effects.keySet()).isEqualTo(sent);
        assertThat(effects.values()).allSatisfy(e -> assertThat(e[0]).as("side effects per message").isEqualTo(1));
        assertThat(client.deadLetters(topic, group).count()).isZero();
        // a waiting delivery holds no handler slot (concurrency 1): the rest are handled while it waits
        long firstHeld = held.stream().mapToLong(id -> effects.get(id)[1]).min().orElseThrow();
        assertThat(sent.stream().filter(id -> !held.contains(id)).mapToLong(id -> effects.get(id)[1]))
            .as("messages not held by the dead consumer, handled before the first held one").allMatch(at -> at < firstHeld);
        assertThat(firstHeld - killedAt).as("a held key waits for its lease").isGreaterThan(LEASE.toMillis() / 2);
        System.out.printf("%s: %d held by the killed consumer; all %d handled once %d ms after the kill (lease %d ms)%n",
            broker, held.size(), MESSAGES, doneAt - killedAt, LEASE.toMillis());
        Thread.sleep(1_000); // nothing comes back once more
        assertThat(effects(ds).values()).allSatisfy(e -> assertThat(e[0]).isEqualTo(1));
      }
    } finally {
      if (child != null) {
        child.destroyForcibly();
      }
      TestDatabases.dropPostgresSchema(schema);
    }
  }

  private static void awaitReady(Process child) throws Exception {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    StringBuilder out = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (out) {
            out.append(line).append('\n');
          }
          if (line.equals("READY")) {
            ready.complete(null);
          }
        }
      } catch (Exception e) {
        // the process was killed
      }
      ready.completeExceptionally(new IllegalStateException("consumer process ended before READY:\n" + out));
    }, "crash-consumer-output");
    reader.setDaemon(true);
    reader.start();
    ready.get(60, TimeUnit.SECONDS);
  }

  private static List<String> started(DataSource ds) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (Connection c = ds.getConnection(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT DISTINCT id FROM started")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  /** Message id to {count, first handled at}. */
  private static Map<String, long[]> effects(DataSource ds) throws SQLException {
    Map<String, long[]> m = new HashMap<>();
    try (Connection c = ds.getConnection(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT id, n, at_ms FROM effects")) {
      while (rs.next()) {
        m.put(rs.getString(1), new long[] {rs.getInt(2), rs.getLong(3)});
      }
    }
    return m;
  }

  private static void exec(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
