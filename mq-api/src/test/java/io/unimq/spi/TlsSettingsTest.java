package io.unimq.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.MqConfigurationException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TlsSettingsTest {
  private static final String PASS = "St0re-Secret";
  private static final String WRONG = "Wr0ng-Secret";

  private static String res(String name) {
    try {
      return Path.of(TlsSettingsTest.class.getResource("/tls/" + name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static TlsSettings tls(String params) {
    return TlsSettings.from(MqConfig.parse("rabbitmq://h:1?" + params), false);
  }

  @Test
  void offByDefaultAndOnForATlsScheme() {
    assertThat(TlsSettings.from(MqConfig.parse("rabbitmq://h:1"), false).enabled()).isFalse();
    TlsSettings on = TlsSettings.from(MqConfig.parse("amqps://h:1"), true);
    assertThat(on.enabled()).isTrue();
    assertThat(on.sslContext()).isNotNull();
    assertThat(on.trustManagerFactory()).isNull(); // the JVM's default trust
    assertThat(on.verifyHostname()).isTrue();
    assertThat(TlsSettings.from(MqConfig.parse("amqps://h:1?tls=false"), true).enabled()).isFalse();
  }

  @Test
  void loadsAPkcs12TrustStoreAJksTrustStoreAPemCaAndAClientKeyStore() {
    TlsSettings p12 = tls("tls=true&trustStore=" + res("client.p12") + "&trustStorePassword=" + PASS);
    assertThat(p12.trustManagerFactory()).isNotNull();
    assertThat(p12.trustStoreType()).isEqualTo("PKCS12");
    TlsSettings jks = tls("tls=true&trustStore=" + res("trust.jks") + "&trustStorePassword=" + PASS);
    assertThat(jks.trustManagerFactory()).isNotNull();
    TlsSettings pem = tls("tls=true&caFile=" + res("ca.pem") + "&verifyHostname=false");
    assertThat(pem.caFile()).isAbsolute();
    assertThat(pem.verifyHostname()).isFalse();
    TlsSettings mutual = tls("tls=true&caFile=" + res("ca.pem") + "&keyStore=" + res("client.p12") + "&keyStorePassword=" + PASS);
    assertThat(mutual.mutual()).isTrue();
    assertThat(mutual.keyManagerFactory()).isNotNull();
    assertThat(mutual.toString()).contains("keyStore=").doesNotContain(PASS);
  }

  @Test
  void aMissingFileNamesTheParameterAndTheFile() {
    assertThatThrownBy(() -> tls("tls=true&trustStore=/nonexistent/ts.p12&trustStorePassword=" + PASS))
        .isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("'trustStore'").hasMessageContaining("/nonexistent/ts.p12")
        .hasMessageNotContaining(PASS);
    assertThatThrownBy(() -> tls("tls=true&caFile=/nonexistent/ca.pem"))
        .hasMessageContaining("'caFile'").hasMessageContaining("no such file");
    assertThatThrownBy(() -> tls("tls=true&keyStore=/nonexistent/k.p12&keyStorePassword=" + PASS))
        .hasMessageContaining("'keyStore'").hasMessageNotContaining(PASS);
  }

  @Test
  void aWrongStorePasswordNamesTheParameterNeverThePassword() {
    assertThatThrownBy(() -> tls("tls=true&trustStore=" + res("client.p12") + "&trustStorePassword=" + WRONG))
        .isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("'trustStorePassword' is wrong")
        .hasMessageNotContaining(WRONG).hasMessageNotContaining(PASS);
    assertThatThrownBy(() -> tls("tls=true&trustStore=" + res("trust.jks") + "&trustStorePassword=" + WRONG))
        .hasMessageContaining("'trustStorePassword' is wrong").hasMessageNotContaining(WRONG);
    assertThatThrownBy(() -> tls("tls=true&keyStore=" + res("client.p12") + "&keyStorePassword=" + WRONG))
        .isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("'keyStorePassword' is wrong").hasMessageNotContaining(WRONG);
    assertThatThrownBy(() -> tls("tls=true&keyStore=" + res("client.p12")))
        .hasMessageContaining("keyStorePassword");
  }

  @Test
  void notAStoreOrNotPemSaysSo() {
    assertThatThrownBy(() -> tls("tls=true&trustStore=" + res("garbage.p12") + "&trustStorePassword=" + PASS))
        .isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("'trustStore'").hasMessageContaining("not a PKCS12 or JKS store")
        .hasMessageContaining("caFile");
    assertThatThrownBy(() -> tls("tls=true&caFile=" + res("garbage.p12")))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("'caFile'");
  }

  @Test
  void inconsistentParametersAreRefusedBeforeTheNetwork() {
    assertThatThrownBy(() -> tls("trustStore=" + res("client.p12")))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("'trustStore' needs TLS")
        .hasMessageContaining("amqps://");
    assertThatThrownBy(() -> tls("tls=true&trustStore=" + res("client.p12") + "&caFile=" + res("ca.pem")))
        .hasMessageContaining("both given");
    assertThatThrownBy(() -> tls("tls=true&trustStorePassword=" + PASS))
        .hasMessageContaining("without 'trustStore'").hasMessageNotContaining(PASS);
    assertThatThrownBy(() -> tls("tls=yes")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("'tls'");
  }
}
