package io.unimq.rabbit.internal;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RabbitMQ management HTTP API, for what AMQP cannot tell: a queue's unacknowledged count.
 * The broker refreshes these statistics every {@code collect_statistics_interval} (5 s by
 * default), so they may lag behind. Thread-safe.
 */
final class ManagementApi {
  private static final Logger log = LoggerFactory.getLogger(ManagementApi.class);
  private static final Pattern UNACKED = Pattern.compile("\"messages_unacknowledged\"\\s*:\\s*(\\d+)");

  private final HttpClient http;
  private final String base;
  private final String vhost;
  private final String authorization;
  private volatile boolean warned;

  ManagementApi(RabbitSettings s) {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
    if (s.tls().enabled()) { // with TLS on AMQP, the management API is reached over HTTPS with the same trust
      b.sslContext(s.tls().sslContext());
    }
    this.http = b.build();
    this.base = (s.tls().enabled() ? "https://" : "http://") + s.host() + ":" + s.managementPort() + "/api";
    this.vhost = encode(s.vhost());
    this.authorization = "Basic " + Base64.getEncoder().encodeToString((s.user() + ":" + s.password()).getBytes(StandardCharsets.UTF_8));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** GET {@code /api/<path>} with {@code <vhost>} replaced; the body, or null on 404. */
  String get(String path) throws java.io.IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + path.replace("<vhost>", vhost)))
        .timeout(Duration.ofSeconds(5)).header("Authorization", authorization).GET().build();
    HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() == 404) {
      return null;
    }
    if (res.statusCode() != 200) {
      throw new java.io.IOException("management API " + req.uri() + " answered " + res.statusCode());
    }
    return res.body();
  }

  /** The queue's unacknowledged messages, or empty when the management API cannot be reached. */
  OptionalLong unacked(String queue) {
    try {
      String body = get("/queues/<vhost>/" + encode(queue));
      if (body == null) {
        return OptionalLong.of(0);
      }
      Matcher m = UNACKED.matcher(body);
      return OptionalLong.of(m.find() ? Long.parseLong(m.group(1)) : 0);
    } catch (java.io.IOException e) {
      if (!warned) {
        warned = true;
        log.warn("RabbitMQ management API at {} unreachable ({}); lag counts ready messages only."
            + " Enable the rabbitmq_management plugin or set managementPort", base, e.toString());
      }
      return OptionalLong.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalLong.empty();
    }
  }
}
