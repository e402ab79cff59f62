package io.unimq.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.Message;
import io.unimq.api.MqInvalidMessageException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OutboxSchemaTest {
  static Stream<String> databases() {
    return Stream.of("postgres", "h2");
  }

  private static TestDatabase open(String name) {
    return name.equals("postgres") ? TestDatabase.postgres() : TestDatabase.h2();
  }

  @ParameterizedTest
  @MethodSource("databases")
  void theSchemaCanBeCreatedOnEveryStartAndTheDialectIsDetected(String name) throws Exception {
    TestDatabase db = open(name);
    try {
      for (int i = 0; i < 2; i++) {
        OutboxSchema.create(db.dataSource(), db.dialect());
        OutboxSchema.createIdempotency(db.dataSource(), db.dialect());
      }
      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM unimq_outbox_position WHERE name = 'sweep'")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
        assertThat(Dialect.of(c)).isEqualTo(db.dialect());
      }
      assertThat(OutboxSchema.outboxDdl(db.dialect())).contains("CREATE TABLE IF NOT EXISTS unimq_outbox");
    } finally {
      db.close();
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aMessageTheBrokerWouldRefuseFailsBeforeTheCommit(String name) throws Exception {
    TestDatabase db = open(name);
    try (Connection c = db.dataSource().getConnection()) {
      OutboxSchema.create(db.dataSource(), db.dialect());
      c.setAutoCommit(false);
      assertThatThrownBy(() -> Outbox.write(c, Message.builder("bad topic!").body("x").build()))
          .isInstanceOf(MqInvalidMessageException.class).hasMessageContaining("topic");
      assertThatThrownBy(() -> Outbox.write(c, Message.builder("prizes").build()))
          .isInstanceOf(MqInvalidMessageException.class).hasMessageContaining("body");
      assertThatThrownBy(() -> Outbox.write(c, Message.builder("prizes").header("unimq-x", "1").body("x").build()))
          .isInstanceOf(MqInvalidMessageException.class).hasMessageContaining("reserved");
      Message m = Message.builder("prizes").body("x").build();
      Outbox.write(c, m);
      assertThatThrownBy(() -> Outbox.write(c, m)).as("the message id is unique").isInstanceOf(OutboxException.class);
      c.rollback();
    } finally {
      db.close();
    }
  }
}
