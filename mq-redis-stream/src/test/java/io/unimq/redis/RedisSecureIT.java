package io.unimq.redis;

import static io.unimq.redis.RedisSecureTestBroker.PASSWORD;
import static io.unimq.redis.RedisSecureTestBroker.READER;
import static io.unimq.redis.RedisSecureTestBroker.READER_PASSWORD;
import static io.unimq.redis.RedisSecureTestBroker.USER;
import static io.unimq.redis.RedisSecureTestBroker.base;
import static io.unimq.redis.RedisSecureTestBroker.trust;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqAuthenticationException;
import io.unimq.api.MqAuthorizationException;
import io.unimq.api.MqClient;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.MqConnectionException;
import io.unimq.api.MqException;
import io.unimq.redis.internal.RedisSettings;
import io.unimq.spi.MqConfig;
import io.unimq.testbrokers.LogCapture;
import io.unimq.testbrokers.TestBrokers;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The secured Redis ({@code redis-secure}): connecting with TLS and an ACL user by URI alone, each
 * typed error, and no secret in anything unimq or Lettuce produce.
 */
class RedisSecureIT {
  private static final String STORE_PASSWORD = System.getenv().getOrDefault("TLS_STORE_PASS", "changeit");

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static void roundTrip(MqClient client, String topic) {
    List<String> got = new CopyOnWriteArrayList<>();
    client.subscribe(topic, "g", d -> got.add(d.bodyAsString()));
    client.producer().send(Message.builder(topic).key("k").body("hello " + topic).build());
    await().atMost(Duration.ofSeconds(20)).until(() -> got.contains("hello " + topic));
  }

  @Test
  void connectsByUriAloneWithTlsAndAnAclUser() {
    try (MqClient client = Mq.connect(RedisSecureTestBroker.uri())) {
      roundTrip(client, unique("secure"));
    }
  }

  @Test
  void acceptsATrustStoreTheRedisSchemeWithTlsUserParametersAndAClientCertificate() {
    String dir = RedisSecureTestBroker.tlsDir();
    try (MqClient client = Mq.connect("redis://127.0.0.1:" + RedisSecureTestBroker.PORT + "/0?tls=true&user=" + USER + "&password="
        + PASSWORD + "&trustStore=" + dir + "/truststore.p12&trustStorePassword=" + STORE_PASSWORD + "&keyStore=" + dir
        + "/client.p12&keyStorePassword=" + STORE_PASSWORD)) {
      roundTrip(client, unique("mutual"));
    }
  }

  @Test
  void aWrongPasswordOrNoneIsAnAuthenticationErrorNamingUserAndBrokerWithinConnectTimeout() {
    String wrong = "Wrong-" + UUID.randomUUID();
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> Mq.connect("rediss://" + USER + ":" + wrong + "@127.0.0.1:" + RedisSecureTestBroker.PORT + "/0?" + trust()
        + "&connectTimeout=3s"))
        .isInstanceOf(MqAuthenticationException.class)
        .hasMessageContaining("refused user '" + USER + "'").hasMessageContaining("127.0.0.1:" + RedisSecureTestBroker.PORT)
        .hasMessageNotContaining(wrong);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    assertThatThrownBy(() -> Mq.connect("rediss://nosuch-user:" + wrong + "@127.0.0.1:" + RedisSecureTestBroker.PORT + "/0?" + trust()))
        .isInstanceOf(MqAuthenticationException.class).hasMessageContaining("'nosuch-user'").hasMessageNotContaining(wrong);
    assertThatThrownBy(() -> Mq.connect(base() + "?" + trust())) // the default user is off
        .isInstanceOf(MqAuthenticationException.class).hasMessageContaining("Redis at rediss://127.0.0.1:" + RedisSecureTestBroker.PORT);
  }

  @Test
  void aReadOnlyUserSendingIsAnAuthorizationErrorNamingTheCommand() {
    String topic = unique("readonly");
    MqClient reader;
    try {
      reader = Mq.connect("rediss://" + READER + ":" + READER_PASSWORD + "@127.0.0.1:" + RedisSecureTestBroker.PORT + "/0?" + trust());
    } catch (MqAuthorizationException e) { // refused while connecting: the message names the command
      assertThat(e.getMessage()).contains("NOPERM").doesNotContain(READER_PASSWORD);
      return;
    }
    try (MqClient client = reader) {
      assertThatThrownBy(() -> client.producer().send(Message.builder(topic).body("x").build()))
          .isInstanceOf(MqException.class).hasMessageNotContaining(READER_PASSWORD)
          .satisfies(e -> assertThat(findAuthorization(e)).as("an MqAuthorizationException in " + e).isNotNull());
    }
  }

  private static MqAuthorizationException findAuthorization(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MqAuthorizationException a) {
        assertThat(a.getMessage()).contains("NOPERM").contains("ACL SETUSER").contains("cannot ").doesNotContain(READER_PASSWORD);
        return a;
      }
    }
    return null;
  }

  @Test
  void tlsToAPlaintextPortSaysSoWithinConnectTimeout() {
    // a plaintext Redis never answers a ClientHello: unimq's own handshake gives up after connectTimeout
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> Mq.connect("rediss://" + USER + ":" + PASSWORD + "@" + TestBrokers.redisHostPort() + "/0?" + trust()
        + "&connectTimeout=3s"))
        .isInstanceOf(MqConnectionException.class).isNotInstanceOf(MqAuthenticationException.class)
        .hasMessageContaining("does not speak TLS").hasMessageNotContaining(PASSWORD);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void plaintextToTheTlsPortFailsWithinConnectTimeoutAndSuggestsTls() {
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> Mq.connect("redis://" + USER + ":" + PASSWORD + "@127.0.0.1:" + RedisSecureTestBroker.PORT
        + "/0?connectTimeout=2s&requestTimeout=2s"))
        .isInstanceOf(MqConnectionException.class).hasMessageContaining("rediss://").hasMessageNotContaining(PASSWORD);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
  }

  @Test
  void anUntrustedCertificateSaysSo() {
    assertThatThrownBy(() -> Mq.connect("rediss://" + USER + ":" + PASSWORD + "@127.0.0.1:" + RedisSecureTestBroker.PORT + "/0?caFile="
        + RedisSecureTestBroker.tlsDir() + "/other-ca.pem"))
        .isInstanceOf(MqConnectionException.class).isNotInstanceOf(MqAuthenticationException.class)
        .hasMessageContaining("certificate is not trusted").hasMessageContaining("other-ca.pem").hasMessageNotContaining(PASSWORD);
  }

  @Test
  void aWrongKeyStorePasswordIsAConfigurationErrorBeforeTheNetwork() {
    String wrong = "Wrong-" + UUID.randomUUID();
    assertThatThrownBy(() -> Mq.connect(RedisSecureTestBroker.uri() + "&keyStore=" + RedisSecureTestBroker.tlsDir()
        + "/client.p12&keyStorePassword=" + wrong))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("'keyStorePassword' is wrong")
        .hasMessageNotContaining(wrong).hasMessageNotContaining(PASSWORD);
  }

  @Test
  void noSecretInLogsMessagesToStringsOrMetricTags() {
    String wrong = "Wrong-" + UUID.randomUUID();
    StringBuilder seen = new StringBuilder();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (LogCapture logs = LogCapture.start()) {
      for (String uri : List.of("rediss://" + USER + ":" + wrong + "@127.0.0.1:" + RedisSecureTestBroker.PORT + "/0?" + trust(),
          "redis://" + USER + ":" + wrong + "@127.0.0.1:" + RedisSecureTestBroker.PORT + "/0?connectTimeout=2s&requestTimeout=2s",
          RedisSecureTestBroker.uri() + "&keyStore=" + RedisSecureTestBroker.tlsDir() + "/client.p12&keyStorePassword=" + wrong)) {
        try {
          Mq.connect(uri).close();
        } catch (MqException e) {
          for (Throwable t = e; t != null; t = t.getCause()) {
            seen.append(t).append('\n');
          }
        }
        seen.append(MqConfig.parse(uri)).append('\n');
      }
      try (MqClient client = Mq.builder(RedisSecureTestBroker.uri()).meterRegistry(registry).connect()) {
        roundTrip(client, unique("redact"));
        seen.append(client).append('\n').append(client.health()).append('\n');
        RedisSettings settings = RedisSettings.from(MqConfig.parse(RedisSecureTestBroker.uri()).withTlsScheme("redis"));
        seen.append(settings).append('\n').append(settings.redisUri()).append('\n');
      }
      for (Meter meter : registry.getMeters()) {
        seen.append(meter.getId()).append('\n');
      }
      seen.append(logs.text());
      assertThat(logs.text()).as("the capture holds the client's DEBUG lines").contains("DEBUG");
    }
    assertThat(registry.getMeters()).isNotEmpty();
    assertThat(seen.toString()).contains(USER).doesNotContain(PASSWORD).doesNotContain(wrong);
  }
}
