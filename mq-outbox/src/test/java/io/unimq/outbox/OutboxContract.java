package io.unimq.outbox;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Fixture shared by the outbox tests: a database (PostgreSQL or H2, chosen by the subclass) with
 * the outbox and idempotency tables and a {@code prize_award} business table, and a memory:// client.
 */
abstract class OutboxContract {
  protected DataSource dataSource;
  protected Dialect dialect;
  protected TestBroker broker;
  /** The consumer's client. */
  protected MqClient client;
  /** The relay's client (through the broker's proxy when there is one). */
  protected MqClient producerClient;
  protected String topic;
  private TestDatabase database;
  private final List<OutboxRelay> relays = new CopyOnWriteArrayList<>();

  /** A fresh database for one test. */
  protected abstract TestDatabase openDatabase();

  /** The broker of one test; memory:// unless overridden. */
  protected TestBroker openBroker() {
    return TestBroker.memory();
  }

  @BeforeEach
  void openFixture() throws SQLException {
    broker = openBroker();
    database = openDatabase();
    dialect = database.dialect();
    dataSource = database.dataSource();
    OutboxSchema.create(dataSource, dialect);
    OutboxSchema.createIdempotency(dataSource, dialect);
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE prize_award (id VARCHAR(64) PRIMARY KEY, user_id VARCHAR(64) NOT NULL, prize VARCHAR(64) NOT NULL)");
    }
    client = Mq.connect(broker.consumerUri());
    producerClient = broker.producerUri().equals(broker.consumerUri()) ? client : Mq.connect(broker.producerUri());
    topic = "prizes-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void closeFixture() {
    relays.forEach(r -> r.close(Duration.ofSeconds(5)));
    if (producerClient != null && producerClient != client) {
      producerClient.close(Duration.ofSeconds(5));
    }
    if (client != null) {
      client.close(Duration.ofSeconds(5));
    }
    if (broker != null) {
      broker.close();
    }
    if (database != null) {
      database.close();
    }
  }

  protected OutboxRelay.Builder relay(TestProducer producer) {
    return OutboxRelay.builder(dataSource, producer).interval(Duration.ofMillis(20)).sweepInterval(Duration.ofMillis(100));
  }

  /** Builds and remembers a relay, so that it is closed after the test. */
  protected OutboxRelay track(OutboxRelay relay) {
    relays.add(relay);
    return relay;
  }

  protected TestProducer producer() {
    return new TestProducer(producerClient.producer());
  }

  /** One business transaction: an award row and its outbox row; commits or rolls back. */
  protected Message award(String userId, int n, boolean commit) throws SQLException {
    Message m = Message.builder(topic).key(userId).header("prize", "p" + n).body(userId + ":" + n).build();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO prize_award (id, user_id, prize) VALUES (?, ?, ?)")) {
        ps.setString(1, m.id());
        ps.setString(2, userId);
        ps.setString(3, "p" + n);
        ps.executeUpdate();
      }
      Outbox.write(c, m);
      if (commit) {
        c.commit();
      } else {
        c.rollback();
      }
    }
    return m;
  }

  /** {@code perKey} committed awards for each of {@code keys} users, interleaved. */
  protected List<Message> awards(int keys, int perKey) throws SQLException {
    List<Message> out = new ArrayList<>();
    for (int n = 0; n < perKey; n++) {
      for (int k = 0; k < keys; k++) {
        out.add(award("user" + k, n, true));
      }
    }
    return out;
  }

  protected long count(String sql) throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  protected long pending() throws SQLException {
    return count("SELECT COUNT(*) FROM unimq_outbox WHERE sent_at IS NULL");
  }
}
