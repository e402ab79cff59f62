package io.unimq.rabbit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** What a user sees in the RabbitMQ management UI, read through its HTTP API (vhost "/"). */
final class ManagementView {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** The object at {@code /api/<kind>/%2F/<name>[/<suffix>]}, or null when it does not exist. */
  JsonNode get(String kind, String name, String suffix) throws Exception {
    String path = "/api/" + kind + "/%2F/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + (suffix == null ? "" : "/" + suffix);
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RabbitTestBroker.MANAGEMENT_PORT + path))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("unimq:unimq".getBytes(StandardCharsets.UTF_8)))
        .timeout(Duration.ofSeconds(5)).GET().build();
    HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
    return res.statusCode() == 404 ? null : JSON.readTree(res.body());
  }

  /** {@code PUT} (with a JSON body) or {@code DELETE} (body null) of {@code path} ("/api/vhosts/v"); returns the status. */
  int change(String path, String body) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RabbitTestBroker.MANAGEMENT_PORT + path))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("unimq:unimq".getBytes(StandardCharsets.UTF_8)))
        .header("Content-Type", "application/json").version(HttpClient.Version.HTTP_1_1).timeout(Duration.ofSeconds(30));
    req = body == null ? req.DELETE() : req.PUT(HttpRequest.BodyPublishers.ofString(body));
    return http.send(req.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  JsonNode queue(String name) throws Exception {
    return get("queues", name, null);
  }

  JsonNode exchange(String name) throws Exception {
    return get("exchanges", name, null);
  }

  /** Bindings whose source is exchange {@code name}, as "destination <- routing key" strings. */
  List<String> bindingsFrom(String exchange) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode b : get("exchanges", exchange, "bindings/source")) {
      out.add(b.get("destination").asText() + " <- " + b.get("routing_key").asText());
    }
    return out;
  }

  /** The raw bindings whose source is {@code exchange}. */
  JsonNode bindingsNodeFrom(String exchange) throws Exception {
    return get("exchanges", exchange, "bindings/source");
  }
}
