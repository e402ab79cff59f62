package io.unimq.api;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MqTest {
  @Test
  void anUnknownSchemeNamesTheArtifactToAdd() {
    assertThatThrownBy(() -> Mq.connect("kafka://127.0.0.1:9092"))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("io.unimq:mq-kafka");
    assertThatThrownBy(() -> Mq.connect("pulsar://h"))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("pulsar");
  }

  @Test
  void aMalformedUriIsAConfigurationError() {
    assertThatThrownBy(() -> Mq.connect("not a uri")).isInstanceOf(MqConfigurationException.class);
    assertThatThrownBy(() -> Mq.connect(null)).isInstanceOf(MqConfigurationException.class);
  }
}
