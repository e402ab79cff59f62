package io.unimq.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts the service on a random port and drives it over HTTP only: orders in, events through the
 * outbox and the broker to both listener groups, then the actuator's health, metrics and unimq
 * endpoints. A subclass per broker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
abstract class OrdersHttpTest {

  static void broker(DynamicPropertyRegistry registry, String uri) {
    registry.add("unimq.uri", () -> uri);
    topic(registry);
  }

  /** A topic of its own (the supplier is read more than once: make the name once). */
  static void topic(DynamicPropertyRegistry registry) {
    String topic = "orders-" + UUID.randomUUID();
    registry.add("orders.topic", () -> topic);
  }

  static String env(String variable) {
    String uri = System.getenv(variable);
    if (uri == null || uri.isBlank()) {
      throw new IllegalStateException(variable + " is not set: run eval \"$(scripts/brokers env)\" with the brokers up, or scripts/test");
    }
    return uri;
  }

  private static final Duration PATIENCE = Duration.ofSeconds(45);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort
  int port;

  @Test
  void ordersFlowThroughTheOutboxToBothGroupsAndTheActuatorShowsIt() throws Exception {
    String plain = placeOrder("book", 2);
    String flaky = placeOrder("flaky", 1);
    assertThat(post("/orders", "{\"item\":\"\",\"quantity\":0}").statusCode()).isEqualTo(400);
    assertThat(post("/orders/" + flaky + "/cancel", "").statusCode()).isEqualTo(202);

    await().atMost(PATIENCE).untilAsserted(() -> {
      Map<String, Object> order = get("/orders/" + plain);
      assertThat(order).containsEntry("status", "placed").containsEntry("shipped", true);
      assertThat(order.get("billing")).isEqualTo(List.of("placed@1"));
    });
    // the first billing attempt of the flaky order failed; its cancellation waited for the retry
    await().atMost(PATIENCE).untilAsserted(() -> {
      Map<String, Object> order = get("/orders/" + flaky);
      assertThat(order).containsEntry("status", "cancelled").containsEntry("shipped", true);
      assertThat(order.get("billing")).isEqualTo(List.of("placed@2", "cancelled@1"));
    });

    Map<String, Object> health = get("/actuator/health");
    assertThat(health).containsEntry("status", "UP");
    assertThat(path(health, "components", "unimq", "status")).isEqualTo("UP");

    // meters are recorded just after a handler returns, and a row is marked published after its
    // confirm: both can trail what the orders API already shows
    await().atMost(PATIENCE).untilAsserted(() -> {
      Map<String, Object> handled = get("/actuator/metrics/unimq.handle?tag=group:billing");
      assertThat(count(handled)).isEqualTo(4.0); // placed, placed (failed once, then ok), cancelled
      Map<String, Object> retries = get("/actuator/metrics/unimq.retry?tag=group:billing");
      assertThat(count(retries)).isEqualTo(1.0);
      assertThat(count(get("/actuator/metrics/unimq.outbox.published"))).isEqualTo(3.0);
    });

    Map<String, Object> unimq = get("/actuator/unimq");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> subscriptions = (List<Map<String, Object>>) unimq.get("subscriptions");
    assertThat(subscriptions).extracting(s -> s.get("id")).containsExactlyInAnyOrder("billing", "shipping");
    assertThat(subscriptions).allSatisfy(s -> assertThat(s).containsEntry("running", true).containsEntry("deadLetters", 0));
  }

  private String placeOrder(String item, int quantity) throws Exception {
    HttpResponse<String> response = post("/orders", "{\"item\":\"" + item + "\",\"quantity\":" + quantity + "}");
    assertThat(response.statusCode()).isEqualTo(201);
    return (String) JSON.readValue(response.body(), Map.class).get("id");
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> get(String path) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
    return JSON.readValue(response.body(), Map.class);
  }

  @SuppressWarnings("unchecked")
  private static Object path(Map<String, Object> json, String... keys) {
    Object at = json;
    for (String k : keys) {
      at = ((Map<String, Object>) at).get(k);
    }
    return at;
  }

  @SuppressWarnings("unchecked")
  private static double count(Map<String, Object> metric) {
    for (Map<String, Object> m : (List<Map<String, Object>>) metric.get("measurements")) {
      if ("COUNT".equals(m.get("statistic"))) {
        return ((Number) m.get("value")).doubleValue();
      }
    }
    throw new AssertionError("no COUNT in " + metric);
  }
}
