package io.unimq.outbox;

import io.unimq.api.Message;
import io.unimq.api.MqInvalidMessageException;
import io.unimq.api.Names;
import io.unimq.outbox.internal.OutboxDao;
import io.unimq.outbox.internal.Args;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Writes messages into the outbox table inside the caller's own transaction: the caller commits
 * (or rolls back) the business rows and the message rows together. An {@link OutboxRelay}
 * publishes committed rows; a row from a rolled-back transaction never exists, so it is never
 * delivered. The message id is kept, so consumers deduplicate by it
 * ({@link io.unimq.api.Idempotent}). Stateless and thread-safe (a connection is not).
 *
 * <pre>{@code
 * try (Connection c = dataSource.getConnection()) {
 *   c.setAutoCommit(false);
 *   insertAward(c, award);
 *   Outbox.write(c, Message.builder("prizes").key(award.userId()).body(json).build());
 *   c.commit();
 * }
 * }</pre>
 *
 * <p>Per-key order is the order of the rows' sequence numbers. Two transactions that write the
 * same key concurrently have no defined order; serialize them (for example by locking the business
 * row) when order matters.
 */
public final class Outbox {
  private Outbox() {}

  /**
   * Writes one message row on {@code connection}, without committing.
   *
   * @return the message id
   * @throws MqInvalidMessageException bad topic, key or headers, or a null body
   * @throws OutboxException the insert failed
   */
  public static String write(Connection connection, Message message) {
    write(connection, List.of(message));
    return message.id();
  }

  /** Writes several message rows on {@code connection} (one JDBC batch), without committing. */
  public static void write(Connection connection, List<Message> messages) {
    Args.required("connection", connection, "pass the java.sql.Connection of the transaction that writes the business change");
    if (messages == null) {
      throw new MqInvalidMessageException("message list is null; pass a list of messages, or nothing to write");
    }
    for (Message m : messages) {
      // the broker's size limit is checked when the relay sends; everything else fails here, before the commit
      Names.checkMessage(m);
    }
    if (messages.isEmpty()) {
      return;
    }
    try {
      OutboxDao.insert(connection, messages, Instant.now());
    } catch (SQLException e) {
      throw new OutboxException("cannot write " + messages.size() + " message(s) to the outbox: " + e.getMessage(), e);
    }
  }
}
