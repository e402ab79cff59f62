package io.unimq.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.Mq;
import io.unimq.api.MqConfigurationException;
import io.unimq.spi.MqConfig;
import io.unimq.testbrokers.TestBrokers;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code redis://} parameters on their own (no broker). */
class RedisSettingsTest {
  private static RedisSettings parse(String query) {
    return RedisSettings.from(MqConfig.parse("redis://127.0.0.1:6379/2" + query));
  }

  @Test
  void defaultsAndTheCoreConnectTimeout() {
    RedisSettings s = parse("");
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(s.redisUri().getTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(s.address()).isEqualTo("127.0.0.1:6379/2");
  }

  @Test
  void timeoutsAreTypedParameters() {
    RedisSettings s = parse("?connectTimeout=750ms&requestTimeout=2s");
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.redisUri().getTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(RedisSettings.PARAMETERS).contains("requestTimeout").doesNotContain("connectTimeout");
  }

  @Test
  void vendorSettingsPassThrough() {
    RedisSettings s = parse("?redis.clientName=billing&redis.ssl=false&redis.verifyPeer=false");
    assertThat(s.redisUri().getClientName()).isEqualTo("billing");
    assertThat(s.redisUri().isSsl()).isFalse();
    assertThat(s.redisUri().isVerifyPeer()).isFalse();
  }

  @Test
  void anUnknownVendorParameterIsRefusedNamingIt() {
    assertThatThrownBy(() -> parse("?redis.noSuchSetting=1")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("redis.noSuchSetting");
    assertThatThrownBy(() -> parse("?redis.commandTimeout=1s")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("redis.commandTimeout").hasMessageContaining("requestTimeout");
  }

  @Test
  void badValuesAreRefusedNamingTheParameter() {
    assertThatThrownBy(() -> parse("?requestTimeout=0s")).isInstanceOf(MqConfigurationException.class).hasMessageContaining("requestTimeout");
    assertThatThrownBy(() -> parse("?requestTimeout=-1s")).isInstanceOf(MqConfigurationException.class).hasMessageContaining("requestTimeout");
    assertThatThrownBy(() -> parse("?redis.ssl=maybe")).isInstanceOf(MqConfigurationException.class).hasMessageContaining("redis.ssl");
    assertThatThrownBy(() -> parse("?lease=100ms")).isInstanceOf(MqConfigurationException.class).hasMessageContaining("lease");
  }

  @Test
  void aNegativeDatabaseOrPortIsRefusedBeforeConnecting() {
    assertThatThrownBy(() -> RedisSettings.from(MqConfig.parse("redis://127.0.0.1:6379/-1"))).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("database").hasMessageContaining("-1");
    assertThatThrownBy(() -> RedisSettings.from(MqConfig.parse("redis://127.0.0.1:0/0"))).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("port 0");
  }

  @Test
  void aDatabaseTheServerDoesNotHaveIsAConfigurationErrorAtConnect() {
    String uri = TestBrokers.redisUri().replaceFirst("/\\d+$", "") + "/99";
    assertThatThrownBy(() -> Mq.connect(uri).close()).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("database 99").hasMessageContaining("databases");
  }
}
