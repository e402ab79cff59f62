package io.unimq.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.MqConfigurationException;
import io.unimq.spi.MqConfig;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The security parameters as Kafka client settings, with no broker; secrets kept out of every string. */
class KafkaSecurityTest {
  /** The JDK's own trust store (password changeit), as a stand-in trust store file. */
  private static final String CACERTS = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts").toString();

  private static Properties admin(String uri) {
    return KafkaSettings.from(MqConfig.parse(uri)).admin("t");
  }

  @Test
  void userAndTlsAreSaslSslWithScramSha512AndTheTrustStore() {
    Properties p = admin("kafka://app:s3cr%22t@h:9093?tls=true&trustStore=" + CACERTS + "&trustStorePassword=changeit");
    assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"app\" password=\"s3cr\\\"t\";")
        .containsEntry("ssl.truststore.location", CACERTS).containsEntry("ssl.truststore.password", "changeit")
        .doesNotContainKey("ssl.endpoint.identification.algorithm");
  }

  @Test
  void plainWithoutTlsIsSaslPlaintextAndVerifyHostnameFalseEmptiesTheAlgorithm() {
    assertThat(admin("kafka://h:9092?user=u&password=pw&saslMechanism=PLAIN")).containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "PLAIN");
    assertThat(admin("kafka://h:9093?tls=true&verifyHostname=false")).containsEntry("security.protocol", "SSL")
        .containsEntry("ssl.endpoint.identification.algorithm", "").doesNotContainKey("sasl.jaas.config");
    assertThat(admin("kafka://h:9092")).doesNotContainKey("security.protocol");
  }

  @Test
  void aUserWithoutPasswordOrAMechanismWithoutUserIsAConfigurationError() {
    assertThatThrownBy(() -> admin("kafka://h:9092?user=u")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("without a password");
    assertThatThrownBy(() -> admin("kafka://h:9092?saslMechanism=PLAIN")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("saslMechanism");
    assertThatThrownBy(() -> admin("kafka://u:p@h:9092?saslMechanism=GSSAPI")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("saslMechanism");
  }

  @Test
  void noSecretInToString() {
    KafkaSettings s = KafkaSettings.from(MqConfig.parse("kafka://app:pw-123456@h:9093?tls=true&trustStore=" + CACERTS
        + "&trustStorePassword=changeit&kafka.ssl.key.password=kp-654321"));
    assertThat(s.toString()).contains("user=app").doesNotContain("pw-123456").doesNotContain("changeit")
        .doesNotContain("kp-654321");
  }
}
