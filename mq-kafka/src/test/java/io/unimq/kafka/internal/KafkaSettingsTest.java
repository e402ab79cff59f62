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
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("kafka.bootstrap.servers");
  }
}
