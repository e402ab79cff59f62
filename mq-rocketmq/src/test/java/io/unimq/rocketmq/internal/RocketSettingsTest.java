package io.unimq.rocketmq.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.MqConfigurationException;
import io.unimq.spi.MqConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RocketSettingsTest {
  private static RocketSettings parse(String query) {
    return RocketSettings.from(MqConfig.parse("rocketmq://proxy" + query));
  }

  @Test
  void defaultsAndTheCoreConnectTimeout() {
    RocketSettings s = parse("?namesrv=ns:9876");
    assertThat(s.endpoint()).isEqualTo("proxy:" + RocketSettings.DEFAULT_PORT);
    assertThat(s.namesrv()).isEqualTo("ns:9876");
    assertThat(s.queues()).isEqualTo(4);
    assertThat(s.fifoQueues()).isEqualTo(16);
    assertThat(s.maxMessageSize()).isEqualTo(4 * 1024 * 1024);
    assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.invisibleTime()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.awaitDuration()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.ssl()).isFalse();
    assertThat(RocketSettings.PARAMETERS).doesNotContain("connectTimeout").contains("requestTimeout");
    assertThat(parse("?namesrv=ns:9876&connectTimeout=750ms&requestTimeout=2s&rocketmq.sslEnabled=true"))
        .extracting(RocketSettings::connectTimeout, RocketSettings::requestTimeout, RocketSettings::ssl)
        .containsExactly(Duration.ofMillis(750), Duration.ofSeconds(2), true);
  }

  @Test
  void invalidParametersAreRefusedByName() {
    assertThatThrownBy(() -> parse("")).isInstanceOf(MqConfigurationException.class).hasMessageContaining("namesrv");
    assertThatThrownBy(() -> parse("?namesrv=ns:9876&invisibleTime=5s"))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("invisibleTime");
    assertThatThrownBy(() -> parse("?namesrv=ns:9876&awaitDuration=31s"))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("awaitDuration");
    assertThatThrownBy(() -> parse("?namesrv=ns:9876&rocketmq.tls=true"))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("rocketmq.tls");
  }

  @Test
  void timeoutsMustBePositiveAndSslEnabledABoolean() {
    assertThatThrownBy(() -> parse("?namesrv=ns:9876&requestTimeout=0s"))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("requestTimeout").hasMessageContaining("positive");
    assertThatThrownBy(() -> parse("?namesrv=ns:9876&requestTimeout=-1s"))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("requestTimeout");
    assertThatThrownBy(() -> parse("?namesrv=ns:9876&rocketmq.sslEnabled=maybe"))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("rocketmq.sslEnabled").hasMessageContaining("true or false");
    assertThat(parse("?namesrv=ns:9876&rocketmq.sslEnabled=FALSE").ssl()).isFalse();
    assertThatThrownBy(() -> RocketSettings.from(MqConfig.parse("rocketmq://proxy:0?namesrv=ns:9876")))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("port 0");
  }

  @Test
  void credentialsFromUserInfoOrParametersWithTheSecretMaskedInToString() {
    RocketSettings s = RocketSettings.from(MqConfig.parse("rocketmq://ak1:Sk-S3cret@proxy?namesrv=ns:9876&tls=true"));
    assertThat(s.accessKey()).isEqualTo("ak1");
    assertThat(s.credentials().secretKey()).isEqualTo("Sk-S3cret");
    assertThat(s.ssl()).isTrue();
    assertThat(s.toString()).contains("accessKey=ak1").doesNotContain("Sk-S3cret");
    assertThat(parse("?namesrv=ns:9876&accessKey=ak2&secretKey=Sk-S3cret").accessKey()).isEqualTo("ak2");
    assertThat(parse("?namesrv=ns:9876").credentials()).isNull();
    assertThat(MqConfig.parse("rocketmq://proxy?namesrv=ns:9876&accessKey=ak2&secretKey=Sk-S3cret").toString())
        .doesNotContain("Sk-S3cret");
  }

  @Test
  void halfCredentialsTwiceGivenCredentialsAndTrustParametersAreRefused() {
    assertThatThrownBy(() -> parse("?namesrv=ns:9876&accessKey=ak")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("secret key");
    assertThatThrownBy(() -> parse("?namesrv=ns:9876&secretKey=Sk-S3cret")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("access key").hasMessageNotContaining("Sk-S3cret");
    assertThatThrownBy(() -> RocketSettings.from(MqConfig.parse("rocketmq://ak:Sk-S3cret@proxy?namesrv=ns:9876&accessKey=ak")))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("twice").hasMessageNotContaining("Sk-S3cret");
    for (String p : new String[] {"caFile=/ca.pem", "trustStore=/ts.p12", "keyStore=/ks.p12", "verifyHostname=false"}) {
      assertThatThrownBy(() -> parse("?namesrv=ns:9876&tls=true&" + p)).isInstanceOf(MqConfigurationException.class)
          .hasMessageContaining("'" + p.substring(0, p.indexOf('=')) + "'").hasMessageContaining("cannot verify the server certificate");
    }
  }

  @Test
  void severalProxiesAndNameServers() {
    RocketSettings s = RocketSettings.from(MqConfig.parse("rocketmq://10.0.0.1:28081,10.0.0.2?namesrv=10.0.0.5:9876;10.0.0.6:9876"));
    assertThat(s.proxies()).containsExactly("10.0.0.1:28081", "10.0.0.2:" + RocketSettings.DEFAULT_PORT);
    assertThat(s.endpoint()).isEqualTo("10.0.0.1:28081");
    assertThat(s.namesrv()).isEqualTo("10.0.0.5:9876;10.0.0.6:9876");
    assertThat(RocketTransport.endpoints(s.proxies())).isEqualTo("10.0.0.1:28081;10.0.0.2:8081");
    assertThat(RocketTransport.endpoints(java.util.List.of("localhost:8081", "127.0.0.1:8181"))).startsWith("127.0.0.1:8081;")
        .endsWith(";127.0.0.1:8181");
    assertThat(RocketTransport.endpoints(java.util.List.of("proxy.example:8081"))).isEqualTo("proxy.example:8081");
    assertThat(s.proxyRemoting()).as("each proxy's gRPC port minus one").containsExactly("10.0.0.1:28080", "10.0.0.2:8080");
    assertThat(parse("?namesrv=ns:9876&proxyRemoting=10.0.0.1:9080;10.0.0.2:9180").proxyRemoting()).containsExactly("10.0.0.1:9080", "10.0.0.2:9180");
  }

  @Test
  void proxyRemotingEndpointsMustBeHostPortEntriesSeparatedBySemicolons() {
    for (String bad : new String[] {"p", "p:8080,q:8080", "p:8080;", ":8080", "p:0", "p:65536"}) {
      assertThatThrownBy(() -> parse("?namesrv=ns:9876&proxyRemoting=" + bad)).as(bad).isInstanceOf(MqConfigurationException.class)
          .hasMessageContaining("'proxyRemoting' must be host:port entries separated by ';'").hasMessageContaining(bad);
    }
  }

  @Test
  void nameServersMustBeHostPortEntriesSeparatedBySemicolons() {
    for (String bad : new String[] {"ns", "ns:9876,ns2:9876", "ns:9876;", "ns:9876;;ns2:9876", ":9876"}) {
      assertThatThrownBy(() -> parse("?namesrv=" + bad)).as(bad).isInstanceOf(MqConfigurationException.class)
          .hasMessageContaining("'namesrv' must be host:port entries separated by ';'");
    }
  }
}
