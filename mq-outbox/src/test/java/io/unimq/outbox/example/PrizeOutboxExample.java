package io.unimq.outbox.example;

import io.unimq.api.Idempotent;
import io.unimq.api.Message;
import io.unimq.api.MessageHandler;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.outbox.Dialect;
import io.unimq.outbox.JdbcIdempotencyStore;
import io.unimq.outbox.Outbox;
import io.unimq.outbox.OutboxRelay;
import io.unimq.outbox.OutboxSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Prize delivery with a transactional outbox. The award service writes the award row and the
 * outbox row in one transaction; a relay publishes the outbox; the prize service delivers each
 * prize once, even when a message arrives twice. Runs on H2 and memory:// by default:
 *
 * <pre>
 * mvn -f mq-outbox/pom.xml test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.unimq.outbox.example.PrizeOutboxExample [-Dexec.args="memory://prizes"]
 * </pre>
 */
public final class PrizeOutboxExample {
  private PrizeOutboxExample() {}

  public static void main(String[] args) throws Exception {
    Result r = run(args.length > 0 ? args[0] : "memory://prizes", "jdbc:h2:mem:prizes;DB_CLOSE_DELAY=-1");
    System.out.printf("awarded %d prizes (1 award rolled back), delivered %d, duplicate deliveries skipped: %d%n",
        r.awarded(), r.delivered(), r.duplicatesSkipped());
  }

  /** What a run did. */
  public record Result(int awarded, int delivered, int duplicatesSkipped) {}

  public static Result run(String brokerUri, String jdbcUrl) throws Exception {
    JdbcDataSource db = new JdbcDataSource();
    db.setURL(jdbcUrl);
    OutboxSchema.create(db, Dialect.H2);
    OutboxSchema.createIdempotency(db, Dialect.H2);
    try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS award (id VARCHAR(64) PRIMARY KEY, user_id VARCHAR(64), prize VARCHAR(64))");
      st.execute("CREATE TABLE IF NOT EXISTS prize_delivery (award_id VARCHAR(64) PRIMARY KEY, user_id VARCHAR(64))");
    }

    try (MqClient mq = Mq.connect(brokerUri)) {
      // the prize service: idempotent by message id, so a redelivered award ships one prize
      MessageHandler prizeService = Idempotent.wrap(d -> deliverPrize(db, d.id(), d.key()), new JdbcIdempotencyStore(db, Dialect.H2));
      AtomicInteger deliveries = new AtomicInteger();
      mq.subscribe("prize-awarded", "prize-service", d -> {
        deliveries.incrementAndGet();
        prizeService.handle(d);
      });

      try (OutboxRelay relay = OutboxRelay.builder(db, mq.producer()).interval(Duration.ofMillis(50)).build().start()) {
        String[] users = {"alice", "bob", "carol", "dave", "erin"};
        Message first = null;
        for (String user : users) {
          Message m = award(db, user, "gold-medal", true);
          first = first == null ? m : first;
        }
        award(db, "mallory", "gold-medal", false); // the business transaction fails: no message, ever

        // a duplicate, as a relay crash between the broker's confirm and marking the row would cause
        mq.producer().send(first);

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((count(db, "prize_delivery") < users.length || deliveries.get() < users.length + 1)
            && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        int delivered = (int) count(db, "prize_delivery");
        return new Result(users.length, delivered, deliveries.get() - delivered);
      }
    }
  }

  /** The award service: the award row and its message commit or roll back together. */
  static Message award(DataSource db, String user, String prize, boolean commit) throws SQLException {
    Message m = Message.builder("prize-awarded").key(user).header("prize", prize).body(user + " won " + prize).build();
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO award (id, user_id, prize) VALUES (?, ?, ?)")) {
        ps.setString(1, m.id());
        ps.setString(2, user);
        ps.setString(3, prize);
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

  private static void deliverPrize(DataSource db, String awardId, String user) throws SQLException {
    try (Connection c = db.getConnection();
         PreparedStatement ps = c.prepareStatement("INSERT INTO prize_delivery (award_id, user_id) VALUES (?, ?)")) {
      ps.setString(1, awardId);
      ps.setString(2, user);
      ps.executeUpdate();
    }
  }

  private static long count(DataSource db, String table) throws SQLException {
    try (Connection c = db.getConnection(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
