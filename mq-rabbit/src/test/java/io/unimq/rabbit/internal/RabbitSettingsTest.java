package io.unimq.rabbit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.MqConfigurationException;
import io.unimq.spi.MqConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code rabbitmq://} parameters on their own (no broker). */
class RabbitSettingsTest {
  private static RabbitSettings parse(String query) {
    return RabbitSettings.from(MqConfig.parse("rabbitmq://u:p@127.0.0.1/%2F" + query));
  }

  @Test
  void defaultsAndTheCoreConnectTimeout() {
    RabbitSettings s = parse("");
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.connectionFactory().getConnectionTimeout()).isEqualTo(5000);
    assertThat(s.port()).isEqualTo(5672);
    assertThat(s.partitions()).isEqualTo(4);
    assertThat(RabbitSettings.PARAMETERS).doesNotContain("connectTimeout");
  }

  @Test
  void everyHostOfAClusterUriIsAnAddressAndAManagementEndpoint() {
    RabbitSettings s = RabbitSettings.from(MqConfig.parse("rabbitmq://u:p@h1:5681,h2,h3:5683/v?managementPort=15000"));
    assertThat(s.addresses()).extracting(a -> a.getHost() + ":" + a.getPort()).containsExactly("h1:5681", "h2:5672", "h3:5683");
    assertThat(s.management()).containsExactly("h1:15000", "h2:15000", "h3:15000");
    assertThat(s.address()).isEqualTo("h1:5681,h2:5672,h3:5683/v");
    assertThat(s.queueType()).as("decided at connect").isNull();
  }

  @Test
  void anExplicitManagementListWins() {
    RabbitSettings s = RabbitSettings.from(MqConfig.parse("rabbitmq://u:p@h1,h2/%2F?managementPort=15000&management=m1:1,m2,[::1]:3"));
    assertThat(s.management()).containsExactly("m1:1", "m2:15000", "[::1]:3");
    for (String bad : new String[] {"m1:", "m1:70000", "a:b:c", ""}) {
      assertThatThrownBy(() -> parse("?management=" + bad)).as(bad).isInstanceOf(MqConfigurationException.class)
          .hasMessageContaining("management");
    }
  }

  @Test
  void queueTypeIsQuorumOrClassic() {
    assertThat(parse("?queueType=quorum").queueType()).isEqualTo(RabbitSettings.QueueType.QUORUM);
    assertThat(parse("?queueType=CLASSIC").queueType()).isEqualTo(RabbitSettings.QueueType.CLASSIC);
    assertThatThrownBy(() -> parse("?queueType=stream")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("queueType").hasMessageContaining("quorum");
    assertThat(RabbitTransport.atLeast("3.10.0", 3, 10)).isTrue();
    assertThat(RabbitTransport.atLeast("4.0.5", 3, 10)).isTrue();
    assertThat(RabbitTransport.atLeast("3.9.29", 3, 10)).isFalse();
    assertThat(RabbitTransport.atLeast("unknown", 3, 10)).isFalse();
  }

  @Test
  void theCoreConnectTimeoutSizesConnectAndHandshake() {
    RabbitSettings s = parse("?connectTimeout=2s");
    assertThat(s.connectionFactory().getConnectionTimeout()).isEqualTo(2000);
    assertThat(s.connectionFactory().getHandshakeTimeout()).isEqualTo(2000);
  }

  @Test
  void anUnknownVendorSettingIsRefusedNamingIt() {
    assertThatThrownBy(() -> parse("?rabbitmq.noSuchSetting=1")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("rabbitmq.noSuchSetting");
    assertThat(parse("?rabbitmq.requestedHeartbeat=30").connectionFactory().getRequestedHeartbeat()).isEqualTo(30);
  }

  @Test
  void badValuesAreConfigurationErrorsNamingTheParameter() {
    for (String bad : new String[] {"recoveryInterval=-1s", "recoveryInterval=0s", "partitions=0", "managementPort=65536",
        "confirmWindow=0", "maxMessageSize=abc", "rabbitmq.requestedHeartbeat=-1", "rabbitmq.handshakeTimeout=-5",
        "rabbitmq.requestedFrameMax=big"}) {
      String name = bad.substring(0, bad.indexOf('='));
      assertThatThrownBy(() -> parse("?" + bad)).as(bad).isInstanceOf(MqConfigurationException.class).hasMessageContaining(name);
    }
    assertThatThrownBy(() -> RabbitSettings.from(MqConfig.parse("rabbitmq://u:p@127.0.0.1:65536/%2F")))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("port 65536");
  }
}
