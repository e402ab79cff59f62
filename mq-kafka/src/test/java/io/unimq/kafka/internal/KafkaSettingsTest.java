package io.unimq.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.MqConfigurationException;
import io.unimq.spi.MqConfig;
import java.time.Duration;
import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {
  @Test
  void theConnectTimeoutIsTheCoreOneAndBoundsSocketSetup() {
    assertThat(KafkaSettings.PARAMETERS).doesNotContain("connectTimeout");
    KafkaSettings s = KafkaSettings.from(MqConfig.parse("kafka://k1?connectTimeout=750ms"));
    assertThat(s.bootstrap()).isEqualTo("k1:" + KafkaSettings.DEFAULT_PORT);
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(s.admin("c").getProperty(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG)).isEqualTo("750");
    assertThat(KafkaSettings.from(MqConfig.parse("kafka://k1")).connectTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aPathIsRefused() {
    assertThatThrownBy(() -> KafkaSettings.from(MqConfig.parse("kafka://k1:9092/x")))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("kafka://h1:9092,h2:9092,h3:9092");
  }

  private static KafkaSettings parse(String query) {
    return KafkaSettings.from(MqConfig.parse("kafka://k1:9092?" + query));
  }

  @Test
  void vendorSettingsAreCheckedByTheKafkaClientsOwnDefinitions() {
    assertThatThrownBy(() -> parse("kafka.acks=maybe")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("kafka.acks=maybe").hasMessageContaining("all, -1, 0, 1");
    assertThatThrownBy(() -> parse("kafka.linger.ms=abc")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("kafka.linger.ms=abc").hasMessageContaining("linger.ms");
    assertThatThrownBy(() -> parse("kafka.max.poll.records=-5")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("kafka.max.poll.records");
    assertThatThrownBy(() -> parse("kafka.no.such.setting=1")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("kafka.no.such.setting");
    assertThat(parse("kafka.acks=1&kafka.linger.ms=7&kafka.max.poll.records=50").vendor())
        .containsEntry("acks", "1").containsEntry("linger.ms", "7").containsEntry("max.poll.records", "50");
  }

  @Test
  void adapterParametersOutOfRangeAreConfigurationErrorsNamingThem() {
    for (String bad : new String[] {"revokeDrain=-2s", "sessionTimeout=0s", "heartbeatInterval=-1s", "linger=-5ms",
        "partitions=0", "batchSize=-1", "maxMessageSize=abc"}) {
      String name = bad.substring(0, bad.indexOf('='));
      assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(MqConfigurationException.class).hasMessageContaining(name);
    }
    assertThatThrownBy(() -> KafkaSettings.from(MqConfig.parse("kafka://k1:65536"))).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("port 65536");
  }

  @Test
  void everyBrokerOfTheAuthorityIsABootstrapServer() {
    KafkaSettings s = KafkaSettings.from(MqConfig.parse("kafka://k1:29092,k2,k3:29292"));
    assertThat(s.bootstrap()).isEqualTo("k1:29092,k2:9092,k3:29292");
    assertThat(s.producer("c").getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo("k1:29092,k2:9092,k3:29292");
    assertThat(s.consumer("c", "g").getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo("k1:29092,k2:9092,k3:29292");
  }

  @Test
  void theProducerIsDurable() {
    var p = parse("").producer("c");
    assertThat(p.getProperty("acks")).isEqualTo("all");
    assertThat(p.getProperty("enable.idempotence")).isEqualTo("true");
  }

  @Test
  void replicationFollowsTheClusterSizeUnlessGiven() {
    KafkaSettings auto = parse("");
    assertThat(auto.replicas(1)).isEqualTo((short) 1);
    assertThat(auto.replicas(2)).isEqualTo((short) 2);
    assertThat(auto.replicas(3)).isEqualTo((short) 3);
    assertThat(auto.replicas(5)).isEqualTo((short) 3);
    assertThat(auto.minInsync((short) 1)).isNull();
    assertThat(auto.minInsync((short) 2)).isNull();
    assertThat(auto.minInsync((short) 3)).isEqualTo(2);
    KafkaSettings given = parse("replicationFactor=2&minInsyncReplicas=1");
    assertThat(given.replicas(5)).isEqualTo((short) 2);
    assertThat(given.minInsync((short) 2)).isEqualTo(1);
  }

  @Test
  void replicationParametersThatCannotWorkAreConfigurationErrorsNamingThem() {
    for (String bad : new String[] {"replicationFactor=0", "replicationFactor=x", "minInsyncReplicas=0", "minInsyncReplicas=-1"}) {
      String name = bad.substring(0, bad.indexOf('='));
      assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(MqConfigurationException.class).hasMessageContaining(name);
    }
    assertThatThrownBy(() -> parse("replicationFactor=2&minInsyncReplicas=3")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("minInsyncReplicas").hasMessageContaining("replicationFactor");
    assertThatThrownBy(() -> parse("replicationFactor=3").replicas(1)).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("replicationFactor").hasMessageContaining("1 live broker");
    assertThatThrownBy(() -> parse("minInsyncReplicas=2").minInsync((short) 1)).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("minInsyncReplicas").hasMessageContaining("at most 1");
  }
}
