package io.unimq.testbrokers;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PostgresSmokeTest {
    @BeforeAll
    static void serverIsUp() {
        BrokerControl.up("postgres");
    }

    @Test
    void aCommittedRowIsReadBack() throws Exception {
        String table = "smoke_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = DriverManager.getConnection(
                TestBrokers.postgresJdbc(), TestBrokers.postgresUser(), TestBrokers.postgresPassword());
                Statement statement = connection.createStatement()) {
            statement.execute("create table " + table + " (id bigint primary key, body text not null)");
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("insert into " + table + " values (?, ?)")) {
                insert.setLong(1, 1L);
                insert.setString(2, "hello");
                assertThat(insert.executeUpdate()).isEqualTo(1);
            }
            connection.commit();
            try (ResultSet rows = statement.executeQuery("select body from " + table + " where id = 1")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("hello");
            }
            try (ResultSet fsync = statement.executeQuery("show fsync")) {
                assertThat(fsync.next()).isTrue();
                assertThat(fsync.getString(1)).isEqualTo("on");
            }
            statement.execute("drop table " + table);
            connection.commit();
        }
    }
}
