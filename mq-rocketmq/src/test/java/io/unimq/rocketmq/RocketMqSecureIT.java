package io.unimq.rocketmq;

import static io.unimq.rocketmq.RocketMqSecureTestBroker.ADMIN_SECRET;
import static io.unimq.rocketmq.RocketMqSecureTestBroker.LIMITED;
import static io.unimq.rocketmq.RocketMqSecureTestBroker.LIMITED_SECRET;
import static io.unimq.rocketmq.RocketMqSecureTestBroker.SECRET;
import static io.unimq.rocketmq.RocketMqSecureTestBroker.USER;
import static io.unimq.rocketmq.RocketMqSecureTestBroker.uri;
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
import io.unimq.rocketmq.internal.RocketSettings;
import io.unimq.spi.MqConfig;
import io.unimq.testbrokers.LogCapture;
import io.unimq.testbrokers.TestBrokers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The secured RocketMQ ({@code rocketmq-secure}): connecting with TLS and an ACL 2.0 access key by URI alone, each
 * typed error, and no secret key in anything unimq or the RocketMQ clients produce.
 */
class RocketMqSecureIT {
  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static void roundTrip(MqClient client, String topic) {
    List<String> got = new CopyOnWriteArrayList<>();
    client.subscribe(topic, topic + "-g", d -> got.add(d.bodyAsString()));
    client.producer().send(Message.builder(topic).key("k").body("hello " + topic).build());
    await().atMost(Duration.ofSeconds(60)).until(() -> got.contains("hello " + topic));
  }

  @Test
  void connectsByUriAloneWithTlsAndAnAccessKey() {
    try (MqClient client = Mq.connect(uri())) {
      roundTrip(client, unique("secure"));
    }
  }

  @Test
  void acceptsTheCredentialsAsParameters() {
    try (MqClient client = Mq.connect(uri("", "&tls=true&accessKey=" + LIMITED + "&secretKey=" + LIMITED_SECRET))) {
      roundTrip(client, unique("granted"));
    }
  }

  @Test
  void aWrongSecretKeyOrUnknownUserIsAnAuthenticationErrorNamingTheAccessKeyAndBrokerWithinConnectTimeout() {
    String wrong = "Wrong-" + UUID.randomUUID();
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> Mq.connect(uri(USER + ":" + wrong + "@", "&tls=true&connectTimeout=5s")))
        .isInstanceOf(MqAuthenticationException.class)
        .hasMessageContaining("access key '" + USER + "'").hasMessageContaining("127.0.0.1:" + RocketMqSecureTestBroker.PORT)
        .hasMessageNotContaining(wrong);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThatThrownBy(() -> Mq.connect(uri("nosuch-user:" + wrong + "@", "&tls=true")))
        .isInstanceOf(MqAuthenticationException.class).hasMessageContaining("'nosuch-user'").hasMessageNotContaining(wrong);
    assertThatThrownBy(() -> Mq.connect(uri("", "&tls=true")))
        .isInstanceOf(MqAuthenticationException.class).hasMessageContaining("127.0.0.1:" + RocketMqSecureTestBroker.PORT);
  }

  @Test
  void aUserWithoutPermissionIsAnAuthorizationErrorNamingResourceAndAction() {
    String topic = unique("forbidden");
    try (MqClient client = Mq.connect(uri(LIMITED + ":" + LIMITED_SECRET + "@", "&tls=true"))) {
      assertThatThrownBy(() -> client.producer().send(Message.builder(topic).body("x").build()))
          .isInstanceOf(MqException.class).hasMessageNotContaining(LIMITED_SECRET)
          .satisfies(e -> {
            MqAuthorizationException a = find(e, MqAuthorizationException.class);
            assertThat(a).as("an MqAuthorizationException in " + e).isNotNull();
            assertThat(a.getMessage()).contains(topic).containsIgnoringCase("create").doesNotContain(LIMITED_SECRET);
          });
    }
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  @Test
  void tlsToAPlaintextPortSaysSo() {
    // the plain test proxy takes TLS too (RocketMQ's default tls.server.mode is permissive): a plaintext-only port here
    // is the plain Redis one, which never speaks TLS
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> Mq.connect("rocketmq://" + USER + ":" + SECRET + "@" + TestBrokers.redisHostPort() + "?namesrv="
        + RocketMqSecureTestBroker.NAMESRV + "&tls=true&connectTimeout=3s"))
        .isInstanceOf(MqConnectionException.class).isNotInstanceOf(MqAuthenticationException.class)
        .hasMessageContaining("does not speak TLS").hasMessageNotContaining(SECRET);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
  }

  @Test
  void plaintextToTheTlsPortSaysTlsIsRequired() {
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> Mq.connect(uri(USER + ":" + SECRET + "@", "&connectTimeout=3s")))
        .isInstanceOf(MqConnectionException.class).hasMessageContaining("requires TLS").hasMessageContaining("tls=true")
        .hasMessageNotContaining(SECRET);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
  }

  @Test
  void aTrustSourceIsAConfigurationErrorSayingTheClientCannotVerifyTheCertificate() {
    for (String p : List.of("caFile=/tmp/ca.pem", "trustStore=/tmp/ts.p12&trustStorePassword=" + ADMIN_SECRET,
        "keyStore=/tmp/client.p12", "verifyHostname=false")) {
      assertThatThrownBy(() -> Mq.connect(uri() + "&" + p))
          .isInstanceOf(MqConfigurationException.class).hasMessageContaining("cannot verify the server certificate")
          .hasMessageContaining("'" + p.substring(0, p.indexOf('=')) + "'").hasMessageNotContaining(SECRET)
          .hasMessageNotContaining(ADMIN_SECRET);
    }
  }

  @Test
  void halfCredentialsOrCredentialsTwiceAreConfigurationErrors() {
    assertThatThrownBy(() -> Mq.connect(uri("", "&tls=true&accessKey=" + USER)))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("secret key");
    assertThatThrownBy(() -> Mq.connect(uri("", "&tls=true&secretKey=" + SECRET)))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("access key").hasMessageNotContaining(SECRET);
    assertThatThrownBy(() -> Mq.connect(uri() + "&secretKey=" + SECRET))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("twice").hasMessageNotContaining(SECRET);
  }

  @Test
  void noSecretInLogsMessagesToStringsOrMetricTags() {
    String wrong = "Wrong-" + UUID.randomUUID();
    StringBuilder seen = new StringBuilder();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RocketMqSecureTestBroker.STDOUT.reset();
    RocketMqSecureTestBroker.recordStdout = true; // the gRPC client's console log
    try (LogCapture logs = LogCapture.start()) {
      for (String uri : List.of(uri(USER + ":" + wrong + "@", "&tls=true"), uri(USER + ":" + wrong + "@", "&connectTimeout=3s"),
          uri("", "&tls=true&accessKey=" + USER + "&secretKey=" + wrong), uri() + "&caFile=/tmp/x&secretKey=" + wrong)) {
        try {
          Mq.connect(uri).close();
        } catch (MqException e) {
          for (Throwable t = e; t != null; t = t.getCause()) {
            seen.append(t).append('\n');
          }
        }
        seen.append(MqConfig.parse(uri)).append('\n').append(MqConfig.parse(uri).redactedUri()).append('\n');
      }
      try (MqClient client = Mq.builder(uri()).meterRegistry(registry).connect()) {
        roundTrip(client, unique("redact"));
        seen.append(client).append('\n').append(client.health()).append('\n');
        seen.append(RocketSettings.from(MqConfig.parse(uri()))).append('\n');
      }
      for (Meter meter : registry.getMeters()) {
        seen.append(meter.getId()).append('\n');
      }
      seen.append(logs.text());
    } finally {
      RocketMqSecureTestBroker.recordStdout = false;
    }
    String client;
    synchronized (RocketMqSecureTestBroker.STDOUT) {
      client = RocketMqSecureTestBroker.STDOUT.toString(StandardCharsets.UTF_8);
    }
    seen.append(client); // rocketmq-client-java's shaded logback: empty unless it finds its rocketmq.logback.xml
    assertThat(seen.toString()).as("unimq's own lines are captured").contains("connected to rocketmq://" + USER + ":****@");
    assertThat(registry.getMeters()).isNotEmpty();
    assertThat(seen.toString()).contains(USER).doesNotContain(SECRET).doesNotContain(wrong);
  }
}
