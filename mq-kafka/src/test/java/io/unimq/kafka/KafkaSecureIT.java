package io.unimq.kafka;

import static io.unimq.kafka.KafkaSecureSupport.ADMIN_PASSWORD;
import static io.unimq.kafka.KafkaSecureSupport.APP_PASSWORD;
import static io.unimq.kafka.KafkaSecureSupport.STORE_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqAuthenticationException;
import io.unimq.api.MqAuthorizationException;
import io.unimq.api.MqClient;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.MqConnectionException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The secured Kafka ({@code scripts/brokers up kafka-secure}): logins over SASL_SSL and mutual TLS, and each
 * connection error typed, fast and free of secrets; ACLs as {@link MqAuthorizationException}; the redaction of
 * every secret in everything a failing and a working client print at DEBUG ({@link KafkaSecureRedactionMain}).
 */
class KafkaSecureIT {
  /** connectTimeout=5s in every URI here, plus the diagnosis of a failed TLS handshake and some load. */
  private static final Duration FAST = Duration.ofSeconds(9);
  private final List<MqClient> clients = new ArrayList<>();
  private final String id = UUID.randomUUID().toString().substring(0, 8);

  private MqClient connect(String uri) {
    MqClient c = Mq.connect(uri);
    clients.add(c);
    return c;
  }

  /**
   * A first client, so that the timed failures below do not include loading the Kafka client's classes (nor a
   * broker just started on a loaded machine).
   */
  @BeforeAll
  static void warmUp() {
    await().atMost(Duration.ofMinutes(3)).ignoreExceptions().until(() -> {
      Mq.connect(KafkaSecureSupport.uri() + "&connectTimeout=60s").close();
      return true;
    });
  }

  @AfterEach
  void close() {
    clients.forEach(c -> c.close(Duration.ofSeconds(5)));
  }

  private static Throwable timedConnectFailure(String uri) {
    long t0 = System.nanoTime();
    Throwable e = catchThrowable(() -> Mq.connect(uri).close());
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(FAST);
    assertThat(e).isNotNull();
    assertThat(e.toString()).doesNotContain(ADMIN_PASSWORD).doesNotContain(APP_PASSWORD).doesNotContain("wrong-pw-42")
        .doesNotContain(STORE_PASSWORD);
    return e;
  }

  private static void roundTrip(MqClient c, String topic, String group) {
    Set<String> got = ConcurrentHashMap.newKeySet();
    c.subscribe(topic, group, d -> got.add(d.bodyAsString()));
    for (int i = 0; i < 5; i++) {
      c.producer().send(Message.builder(topic).key("k").body("m" + i).build());
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> got.size() == 5);
    assertThat(got).containsExactlyInAnyOrder("m0", "m1", "m2", "m3", "m4");
  }

  @Test
  void theAdminSendsAndReceivesOverSaslSslWithScramSha512() {
    roundTrip(connect(KafkaSecureSupport.uri()), "adm-" + id, "adm-" + id + "-g");
  }

  @Test
  void theAppUserWorksOnItsOwnTopicsWithScramSha256AndAPemCaFile() {
    String uri = KafkaSecureSupport.as("app", APP_PASSWORD, "&saslMechanism=SCRAM-SHA-256")
        .replaceAll("trustStore=[^&]*&trustStorePassword=[^&]*", "caFile=" + KafkaSecureSupport.tlsDir().resolve("ca.pem"));
    roundTrip(connect(uri), "app-" + id, "app-" + id + "-g");
  }

  @Test
  void mutualTlsWithTheClientCertificate() {
    Path dir = KafkaSecureSupport.tlsDir();
    roundTrip(connect(KafkaSecureSupport.mutualTls("&keyStore=" + dir.resolve("client.p12") + "&keyStorePassword=" + STORE_PASSWORD)),
        "app-m" + id, "app-m" + id + "-g");
  }

  @Test
  void aWrongPasswordIsAnAuthenticationErrorNamingUserAndBroker() {
    Throwable e = timedConnectFailure(KafkaSecureSupport.as("admin", "wrong-pw-42", ""));
    assertThat(e).isInstanceOf(MqAuthenticationException.class)
        .hasMessageContaining("user 'admin'").hasMessageContaining(KafkaSecureSupport.hostPort());
  }

  @Test
  void anUnknownUserIsAnAuthenticationError() {
    Throwable e = timedConnectFailure(KafkaSecureSupport.as("nobody-" + id, "wrong-pw-42", ""));
    assertThat(e).isInstanceOf(MqAuthenticationException.class).hasMessageContaining("user 'nobody-" + id + "'");
  }

  @Test
  void aMechanismTheBrokerDoesNotOfferIsAnAuthenticationError() {
    Throwable e = timedConnectFailure(KafkaSecureSupport.as("app", APP_PASSWORD, "&saslMechanism=PLAIN"));
    assertThat(e).isInstanceOf(MqAuthenticationException.class).hasMessageContaining("PLAIN");
  }

  @Test
  void tlsToThePlaintextBrokerSaysSo() {
    String plain = System.getenv("UNIMQ_KAFKA_URI");
    assertThat(plain).as("UNIMQ_KAFKA_URI (the plain test Kafka)").isNotNull();
    String uri = plain + (plain.contains("?") ? "&" : "?") + "tls=true&connectTimeout=5s&trustStore="
        + KafkaSecureSupport.tlsDir().resolve("truststore.p12") + "&trustStorePassword=" + STORE_PASSWORD;
    Throwable e = timedConnectFailure(uri);
    assertThat(e).isInstanceOf(MqConnectionException.class).isNotInstanceOf(MqAuthenticationException.class)
        .hasMessageContaining("plaintext port");
  }

  @Test
  void anUntrustedCertificateSaysSo() {
    String uri = KafkaSecureSupport.uri().replace("truststore.p12", "truststore-other.p12") + "&connectTimeout=5s";
    Throwable e = timedConnectFailure(uri);
    assertThat(e).isInstanceOf(MqConnectionException.class).isNotInstanceOf(MqAuthenticationException.class)
        .hasMessageContaining("not trusted");
  }

  @Test
  void theMutualTlsListenerWithoutAClientCertificateRefusesFast() {
    Throwable e = timedConnectFailure(KafkaSecureSupport.mutualTls(""));
    assertThat(e).isInstanceOf(MqConnectionException.class);
  }

  @Test
  void aWrongTrustStorePasswordIsAConfigurationErrorNamingTheParameter() {
    Throwable e = catchThrowable(() -> Mq.connect(KafkaSecureSupport.uri().replace("trustStorePassword=" + STORE_PASSWORD,
        "trustStorePassword=wrong-pw-42")));
    assertThat(e).isInstanceOf(MqConfigurationException.class).hasMessageContaining("trustStorePassword")
        .hasMessageNotContaining("wrong-pw-42");
  }

  @Test
  void sendingToATopicOutsideTheAclsIsAnAuthorizationErrorNamingTopicAndOperation() {
    MqClient app = connect(KafkaSecureSupport.as("app", APP_PASSWORD, ""));
    String topic = "other-" + id;
    long t0 = System.nanoTime();
    Throwable e = catchThrowable(() -> app.producer().send(Message.builder(topic).body("x").build()));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(FAST);
    assertThat(e).isInstanceOf(MqAuthorizationException.class).hasMessageContaining("topic '" + topic + "'")
        .hasMessageContaining("create topic").hasMessageNotContaining(APP_PASSWORD);
  }

  @Test
  void subscribingWithAGroupOutsideTheAclsIsAnAuthorizationErrorNamingTheGroup() {
    MqClient app = connect(KafkaSecureSupport.as("app", APP_PASSWORD, ""));
    String topic = "app-" + id;
    app.producer().send(Message.builder(topic).body("x").build()); // its own topic: allowed
    long t0 = System.nanoTime();
    Throwable e = catchThrowable(() -> app.subscribe(topic, "other-" + id, d -> { }));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(FAST);
    assertThat(e).isInstanceOf(MqAuthorizationException.class).hasMessageContaining("group 'other-" + id + "'");
  }

  /** Everything a failing and a working client print, at DEBUG (Kafka's own client too), holds no secret. */
  @Test
  void noSecretInAnyLogLineExceptionOrToStringAtDebug() throws Exception {
    Path tls = KafkaSecureSupport.tlsDir();
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug", "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=debug",
        KafkaSecureRedactionMain.class.getName(), KafkaSecureSupport.uri() + "&connectTimeout=60s",
        KafkaSecureSupport.as("app", "wrong-pw-42", "").replace("connectTimeout=5s", "connectTimeout=60s"),
        KafkaSecureSupport.mutualTls("&keyStore=" + tls.resolve("client.p12") + "&keyStorePassword=" + STORE_PASSWORD)
            .replace("connectTimeout=5s", "connectTimeout=60s"),
        "app-r" + id);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread reader = new Thread(() -> {
      try {
        p.getInputStream().transferTo(out);
      } catch (java.io.IOException ignored) {
        // the process ended
      }
    });
    reader.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the redaction run ends").isTrue();
    reader.join(5000);
    String all = out.toString(StandardCharsets.UTF_8);
    Files.writeString(Path.of("target", "kafka-secure-redaction.log"), all);
    assertThat(p.exitValue()).as("exit code; output in target/kafka-secure-redaction.log").isZero();
    // the run was at DEBUG, and saw Kafka's configuration dumps, the failure and the messages
    assertThat(all).contains("DEBUG").contains("sasl.jaas.config = [hidden]").contains("ssl.truststore.password = [hidden]")
        .contains("ssl.keystore.password = [hidden]").contains("MqAuthenticationException").contains("REDACTION-RUN-DONE");
    for (String secret : List.of(ADMIN_PASSWORD, APP_PASSWORD, "wrong-pw-42", STORE_PASSWORD)) {
      assertThat(all).as("secret %s in the output (target/kafka-secure-redaction.log)", secret).doesNotContain(secret);
    }
  }
}
