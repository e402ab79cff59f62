package io.unimq.rabbit;

import static io.unimq.rabbit.RabbitSecureTestBroker.LIMITED_PASSWORD;
import static io.unimq.rabbit.RabbitSecureTestBroker.LIMITED_USER;
import static io.unimq.rabbit.RabbitSecureTestBroker.PASSWORD;
import static io.unimq.rabbit.RabbitSecureTestBroker.USER;
import static io.unimq.rabbit.RabbitSecureTestBroker.base;
import static io.unimq.rabbit.RabbitSecureTestBroker.trust;
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
import io.unimq.spi.MqConfig;
import io.unimq.spi.TlsSettings;
import io.unimq.testbrokers.LogCapture;
import io.unimq.testbrokers.TestBrokers;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The secured RabbitMQ ({@code rabbitmq-secure}): connecting with TLS and credentials by URI alone,
 * each typed error, and no secret in anything unimq or the client produce.
 */
class RabbitSecureIT {
  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Sends one message and receives it. */
  private static void roundTrip(MqClient client, String topic) {
    List<String> got = new CopyOnWriteArrayList<>();
    client.subscribe(topic, "g", d -> got.add(d.bodyAsString()));
    client.producer().send(Message.builder(topic).key("k").body("hello " + topic).build());
    await().atMost(Duration.ofSeconds(20)).until(() -> got.contains("hello " + topic));
  }

  @Test
  void connectsByUriAloneWithTlsAndCredentials() {
    try (MqClient client = Mq.connect(RabbitSecureTestBroker.uri())) {
      roundTrip(client, unique("secure"));
      assertThat(client.admin().lag("nosuch-" + UUID.randomUUID(), "g")).isZero(); // management API over HTTPS
    }
  }

  @Test
  void acceptsAPemCaFileTheRabbitmqSchemeWithTlsAndAClientCertificate() {
    String dir = RabbitSecureTestBroker.tlsDir();
    String store = RabbitSecureTestBroker.storePassword();
    try (MqClient pem = Mq.connect(base() + "/%2F?user=" + USER + "&password=" + enc(PASSWORD) + "&caFile=" + dir + "/ca.pem"
        + "&managementPort=" + RabbitSecureTestBroker.MANAGEMENT_PORT)) {
      roundTrip(pem, unique("pem"));
    }
    try (MqClient mutual = Mq.connect("rabbitmq://" + USER + ":" + enc(PASSWORD) + "@127.0.0.1:" + RabbitSecureTestBroker.PORT
        + "/%2F?tls=true&" + trust() + "&keyStore=" + dir + "/client.p12&keyStorePassword=" + store)) {
      roundTrip(mutual, unique("mutual"));
    }
  }

  @Test
  void aWrongPasswordIsAnAuthenticationErrorNamingUserAndBrokerWithinConnectTimeout() {
    String wrong = "Wrong-" + UUID.randomUUID();
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> Mq.connect(base() + "/%2F?user=" + USER + "&password=" + wrong + "&" + trust() + "&connectTimeout=3s"))
        .isInstanceOf(MqAuthenticationException.class)
        .hasMessageContaining("refused user '" + USER + "'").hasMessageContaining("127.0.0.1:" + RabbitSecureTestBroker.PORT)
        .hasMessageNotContaining(wrong);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    assertThatThrownBy(() -> Mq.connect(base() + "/%2F?user=nosuch-user&password=" + wrong + "&" + trust()))
        .isInstanceOf(MqAuthenticationException.class).hasMessageContaining("'nosuch-user'").hasMessageNotContaining(wrong);
  }

  @Test
  void aVhostTheUserMayNotUseIsAnAuthorizationError() {
    assertThatThrownBy(() -> Mq.connect(base() + "/%2F?user=" + LIMITED_USER + "&password=" + enc(LIMITED_PASSWORD) + "&" + trust()))
        .isInstanceOf(MqAuthorizationException.class)
        .hasMessageContaining("user '" + LIMITED_USER + "' access to vhost '/'").hasMessageContaining("set_permissions")
        .hasMessageNotContaining(LIMITED_PASSWORD);
  }

  @Test
  void aTopicTheUserMayNotConfigureIsAnAuthorizationErrorNamingExchangeAndOperation() {
    String granted = unique("granted");
    String other = unique("other");
    try (MqClient client = Mq.connect(base() + "/limited?user=" + LIMITED_USER + "&password=" + enc(LIMITED_PASSWORD) + "&" + trust()
        + "&managementPort=" + RabbitSecureTestBroker.MANAGEMENT_PORT)) {
      roundTrip(client, granted); // its own names work
      assertThatThrownBy(() -> client.subscribe(other, "g", d -> { }))
          .isInstanceOf(MqAuthorizationException.class)
          .hasMessageContaining("exchange 'unimq." + other + "'").hasMessageContaining("vhost 'limited'")
          .hasMessageContaining(other).hasMessageNotContaining(LIMITED_PASSWORD);
      assertThatThrownBy(() -> client.producer().send(Message.builder(other).body("x").build()))
          .isInstanceOf(MqException.class).hasMessageContaining(other).hasMessageNotContaining(LIMITED_PASSWORD);
    }
  }

  @Test
  void tlsToThePlaintextPortSaysSo() {
    String plain = TestBrokers.rabbitmqHost() + ":" + TestBrokers.rabbitmqPort();
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> Mq.connect("amqps://" + USER + ":" + enc(PASSWORD) + "@" + plain + "/%2F?" + trust() + "&connectTimeout=3s"))
        .isInstanceOf(MqConnectionException.class).isNotInstanceOf(MqAuthenticationException.class)
        .hasMessageContaining("does not speak TLS").hasMessageNotContaining(PASSWORD);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void plaintextToTheTlsPortFailsWithinConnectTimeoutAndSuggestsTls() {
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> Mq.connect("rabbitmq://" + USER + ":" + enc(PASSWORD) + "@127.0.0.1:" + RabbitSecureTestBroker.PORT
        + "/%2F?connectTimeout=2s"))
        .isInstanceOf(MqConnectionException.class).hasMessageContaining("amqps://")
        .hasMessageNotContaining(PASSWORD);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(6));
  }

  @Test
  void anUntrustedCertificateSaysSo() {
    String dir = RabbitSecureTestBroker.tlsDir();
    assertThatThrownBy(() -> Mq.connect(base() + "/%2F?user=" + USER + "&password=" + enc(PASSWORD) + "&trustStore=" + dir
        + "/truststore-other.p12&trustStorePassword=" + RabbitSecureTestBroker.storePassword()))
        .isInstanceOf(MqConnectionException.class).isNotInstanceOf(MqAuthenticationException.class)
        .hasMessageContaining("certificate is not trusted").hasMessageContaining("truststore-other.p12")
        .hasMessageNotContaining(PASSWORD);
  }

  @Test
  void aWrongTrustStorePasswordIsAConfigurationErrorBeforeTheNetwork() {
    String wrong = "Wrong-" + UUID.randomUUID();
    assertThatThrownBy(() -> Mq.connect(base() + "/%2F?user=" + USER + "&password=" + enc(PASSWORD) + "&trustStore="
        + RabbitSecureTestBroker.tlsDir() + "/truststore.p12&trustStorePassword=" + wrong))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("'trustStorePassword' is wrong")
        .hasMessageNotContaining(wrong).hasMessageNotContaining(PASSWORD);
  }

  @Test
  void recoveryStopsAfterOneErrorWhenTheBrokerRefusesTheCredentials() throws Exception {
    Management m = new Management();
    String user = unique("rotating");
    String first = "First-" + UUID.randomUUID();
    m.send("PUT", "/users/" + user, "{\"password\":\"" + first + "\",\"tags\":\"\"}");
    m.send("PUT", "/permissions/%2F/" + user, "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
    try (LogCapture logs = LogCapture.start();
        MqClient client = Mq.connect(base() + "/%2F?user=" + user + "&password=" + first + "&" + trust() + "&recoveryInterval=500ms")) {
      roundTrip(client, unique("rotate"));
      m.send("PUT", "/users/" + user, "{\"password\":\"Second-" + UUID.randomUUID() + "\",\"tags\":\"\"}");
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        List<String> names = m.connectionsOf(user);
        for (String n : names) {
          m.send("DELETE", "/connections/" + enc(n).replace("+", "%20"), null);
        }
        return names.isEmpty() && logs.text().contains("automatic recovery of connection");
      });
      // at most one ERROR per connection (publish, consume), and no more attempts afterwards
      // (the management API lists connections from statistics it collects every few seconds: allow it to catch up)
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30))
          .until(() -> count(logs.text(), "automatic recovery of connection") <= 2 && m.connectionsOf(user).isEmpty());
      assertThat(logs.text()).contains("refused user '" + user + "'").doesNotContain(first);
    } finally {
      m.send("DELETE", "/users/" + user, null);
    }
  }

  @Test
  void noSecretInLogsMessagesToStringsOrMetricTags() {
    String store = RabbitSecureTestBroker.storePassword();
    String wrong = "Wrong-" + UUID.randomUUID();
    StringBuilder seen = new StringBuilder();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (LogCapture logs = LogCapture.start()) {
      for (String uri : List.of(base() + "/%2F?user=" + USER + "&password=" + wrong + "&" + trust(),
          "rabbitmq://" + USER + ":" + wrong + "@127.0.0.1:" + RabbitSecureTestBroker.PORT + "/%2F?connectTimeout=2s",
          base() + "/%2F?user=" + USER + "&password=" + wrong + "&trustStore=" + RabbitSecureTestBroker.tlsDir()
              + "/truststore.p12&trustStorePassword=" + wrong)) {
        try {
          Mq.connect(uri).close();
        } catch (MqException e) {
          for (Throwable t = e; t != null; t = t.getCause()) {
            seen.append(t).append('\n');
          }
        }
        seen.append(MqConfig.parse(uri)).append('\n');
      }
      try (MqClient client = Mq.builder(RabbitSecureTestBroker.uri()).meterRegistry(registry).connect()) {
        roundTrip(client, unique("redact"));
        seen.append(client).append('\n').append(client.health()).append('\n');
        seen.append(io.unimq.rabbit.internal.RabbitSettings.from(MqConfig.parse(RabbitSecureTestBroker.uri())
            .withTlsScheme("rabbitmq"))).append('\n');
        seen.append(TlsSettings.from(MqConfig.parse(RabbitSecureTestBroker.uri()), true)).append('\n');
      }
      for (Meter meter : registry.getMeters()) {
        seen.append(meter.getId()).append('\n');
      }
      seen.append(logs.text());
      assertThat(logs.text()).as("the capture holds the client's DEBUG lines").contains("DEBUG");
    }
    assertThat(registry.getMeters()).isNotEmpty();
    assertThat(seen.toString()).contains(USER).doesNotContain(PASSWORD).doesNotContain(wrong).doesNotContain("=" + store)
        .doesNotContain(":" + store);
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  /** The secured broker's management API over HTTPS, as its administrator. */
  private static final class Management {
    private final HttpClient http = HttpClient.newBuilder()
        .sslContext(TlsSettings.from(MqConfig.parse(RabbitSecureTestBroker.uri()), true).sslContext()).build();
    private final String auth = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    private final String base = "https://127.0.0.1:" + RabbitSecureTestBroker.MANAGEMENT_PORT + "/api";

    String send(String method, String path, String json) throws Exception {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth)
          .header("content-type", "application/json").timeout(Duration.ofSeconds(10));
      b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
      return r.body();
    }

    List<String> connectionsOf(String user) throws Exception {
      String body = send("GET", "/connections?columns=name,user", null);
      List<String> names = new java.util.ArrayList<>();
      Matcher m = Pattern.compile("\\{\"name\":\"([^\"]+)\",\"user\":\"" + Pattern.quote(user) + "\"\\}").matcher(body);
      while (m.find()) {
        names.add(m.group(1));
      }
      return names;
    }
  }
}
