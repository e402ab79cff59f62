package io.unimq.outbox;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.MqConfigurationException;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every bad builder value is an {@link MqConfigurationException} naming the setting. */
class OutboxRelayBuilderTest {
  private MqClient client;
  private DataSource dataSource;

  @BeforeEach
  void setUp() {
    client = Mq.connect("memory://relay-builder-" + UUID.randomUUID());
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:relay-builder-" + UUID.randomUUID());
    dataSource = h2;
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private OutboxRelay.Builder builder() {
    return OutboxRelay.builder(dataSource, client.producer());
  }

  @Test
  void nullDataSourceOrProducerIsAConfigurationError() {
    assertThatThrownBy(() -> OutboxRelay.builder(null, client.producer()))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("dataSource");
    assertThatThrownBy(() -> OutboxRelay.builder(dataSource, null))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("producer");
  }

  @Test
  void batchSizeBelowOneIsAConfigurationError() {
    assertThatThrownBy(() -> builder().batchSize(0))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("batchSize").hasMessageContaining("0");
  }

  @Test
  void zeroOrNegativeIntervalsAreConfigurationErrors() {
    assertThatThrownBy(() -> builder().interval(Duration.ZERO))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("interval");
    assertThatThrownBy(() -> builder().sweepInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("sweepInterval");
    assertThatThrownBy(() -> builder().sendTimeout(Duration.ofMillis(-5)))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("sendTimeout");
    assertThatThrownBy(() -> builder().cleanupInterval(Duration.ZERO))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("cleanupInterval");
  }

  @Test
  void negativeDelaysAreConfigurationErrors() {
    assertThatThrownBy(() -> builder().sweepDelay(Duration.ofSeconds(-1)))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("sweepDelay");
    assertThatThrownBy(() -> builder().retention(Duration.ofDays(-1)))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("retention");
  }

  @Test
  void nullsAreConfigurationErrors() {
    assertThatThrownBy(() -> builder().name(null))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> builder().interval(null))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("interval");
    assertThatThrownBy(() -> builder().sweepDelay(null))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("sweepDelay");
    assertThatThrownBy(() -> builder().meterRegistry(null))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("meterRegistry");
  }

  @Test
  void aMeterRegistryThatIsNotOneIsAConfigurationError() {
    assertThatThrownBy(() -> builder().meterRegistry("registry")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("io.micrometer.core.instrument.MeterRegistry").hasMessageContaining("java.lang.String");
    assertThatThrownBy(() -> builder().meterRegistry(null)).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("meterRegistry");
  }

  @Test
  void theOtherPublicEntryPointsNameAMissingArgument() throws Exception {
    assertThatThrownBy(() -> Outbox.write(null, io.unimq.api.Message.builder("t").body("x").build()))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("connection");
    try (java.sql.Connection c = dataSource.getConnection()) {
      assertThatThrownBy(() -> Outbox.write(c, (java.util.List<io.unimq.api.Message>) null))
          .isInstanceOf(io.unimq.api.MqInvalidMessageException.class).hasMessageContaining("message list is null");
      assertThatThrownBy(() -> OutboxSchema.create(c, null)).isInstanceOf(MqConfigurationException.class).hasMessageContaining("dialect");
    }
    assertThatThrownBy(() -> OutboxSchema.create((DataSource) null, Dialect.H2)).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("dataSource");
    assertThatThrownBy(() -> Dialect.of(null)).isInstanceOf(MqConfigurationException.class).hasMessageContaining("connection");
    assertThatThrownBy(() -> new JdbcIdempotencyStore(null, Dialect.H2)).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("dataSource");
    assertThatThrownBy(() -> new JdbcIdempotencyStore(dataSource, null)).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("dialect");
    assertThatThrownBy(() -> RedisIdempotencyStore.connect(null)).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("redisUri");
    assertThatThrownBy(() -> RedisIdempotencyStore.using(null, "p:")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("connection");
  }
}
