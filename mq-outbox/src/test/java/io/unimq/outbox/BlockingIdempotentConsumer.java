package io.unimq.outbox;

import io.unimq.api.Idempotent;
import io.unimq.api.Message;
import io.unimq.api.MqClient;
import io.unimq.api.Mq;
import io.unimq.api.SubscriptionOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The consumer that {@link IdempotentConsumerCrashTest} kills with {@code kill -9}: a separate JVM
 * subscribed with {@link Idempotent} on PostgreSQL, whose handler records that it started a message
 * (table {@code started}) and then never returns, so every key it acquires is held by a dead
 * consumer once it is killed. Prints {@code READY} once subscribed.
 *
 * <p>Arguments: broker URI, topic, group, JDBC URL, user, password, schema, lease in milliseconds.
 */
public final class BlockingIdempotentConsumer {
  private BlockingIdempotentConsumer() {}

  public static void main(String[] args) throws Exception {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(args[3]);
    ds.setUser(args[4]);
    ds.setPassword(args[5]);
    ds.setCurrentSchema(args[6]);
    JdbcIdempotencyStore store = new JdbcIdempotencyStore(ds, Dialect.POSTGRESQL);
    MqClient client = Mq.connect(args[0]);
    client.subscribe(args[1], args[2], SubscriptionOptions.builder().concurrency(2).prefetch(4).build(),
        Idempotent.wrap(d -> {
          try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO started (id) VALUES (?)")) {
            ps.setString(1, d.id());
            ps.executeUpdate();
          }
          Thread.sleep(Long.MAX_VALUE);
        }, store, Message::id, Duration.ofMillis(Long.parseLong(args[7])), Idempotent.DEFAULT_DONE_TTL));
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
