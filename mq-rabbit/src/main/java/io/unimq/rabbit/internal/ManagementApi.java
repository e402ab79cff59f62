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
 * The RabbitMQ management HTTP API, for what AMQP cannot tell: a queue's unacknowledged count, the
 * listing of exchanges and queues, the cluster's nodes. The broker refreshes these statistics every
 * {@code collect_statistics_interval} (5 s by default), so they may lag behind. On a cluster every
 * node serves the same API: a call that cannot reach one (no connection, no answer, a 5xx) moves on
 * to the next of {@link RabbitSettings#management()}, starting from the last that answered.
 * Thread-safe.
 */
final class ManagementApi {
  private static final Logger log = LoggerFactory.getLogger(ManagementApi.class);
  private static final Pattern NODE_NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern UNACKED = Pattern.compile("\"messages_unacknowledged\"\\s*:\\s*(\\d+)");

  private final HttpClient http;
  private final java.util.List<String> bases;
  private final String vhost;
  private final String authorization;
  private volatile boolean warned;
  private volatile int current;

  ManagementApi(RabbitSettings s) {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
    if (s.tls().enabled()) { // with TLS on AMQP, the management API is reached over HTTPS with the same trust
      b.sslContext(s.tls().sslContext());
    }
    this.http = b.build();
    String scheme = s.tls().enabled() ? "https://" : "http://";
    this.bases = s.management().stream().map(hp -> scheme + hp + "/api").toList();
    this.vhost = encode(s.vhost());
    this.authorization = "Basic " + Base64.getEncoder().encodeToString((s.user() + ":" + s.password()).getBytes(StandardCharsets.UTF_8));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The management API's addresses, for messages. */
  String where() {
    return String.join(", ", bases);
  }

  /**
   * GET {@code /api/<path>} with {@code <vhost>} replaced; the body, or null on 404. Tries every
   * node, starting from the last that answered; throws the last failure when none answers.
   */
  String get(String path) throws java.io.IOException, InterruptedException {
    int start = current;
    java.io.IOException failure = null;
    for (int i = 0; i < bases.size(); i++) {
      int at = (start + i) % bases.size();
      HttpRequest req = HttpRequest.newBuilder(URI.create(bases.get(at) + path.replace("<vhost>", vhost)))
          .timeout(Duration.ofSeconds(5)).header("Authorization", authorization).GET().build();
      try {
        HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() >= 500) {
          throw new java.io.IOException("management API " + req.uri() + " answered " + res.statusCode());
        }
        current = at;
        if (res.statusCode() == 404) {
          return null;
        }
        if (res.statusCode() != 200) {
          throw new ManagementRefused("management API " + req.uri() + " answered " + res.statusCode());
        }
        return res.body();
      } catch (ManagementRefused e) {
        throw e; // the same answer from every node (credentials, permissions)
      } catch (java.io.IOException e) {
        failure = e;
      }
    }
    throw failure;
  }

  /** A 4xx answer (other than 404): every node would give the same. */
  static final class ManagementRefused extends java.io.IOException {
    ManagementRefused(String message) {
      super(message);
    }
  }

  /**
   * The names of the cluster's nodes ({@code /api/nodes}), or null when the management API cannot
   * be reached.
   */
  java.util.List<String> nodes() {
    try {
      String body = get("/nodes?columns=name");
      java.util.List<String> out = new java.util.ArrayList<>();
      if (body != null) {
        Matcher m = NODE_NAME.matcher(body);
        while (m.find()) {
          out.add(m.group(1));
        }
      }
      return out;
    } catch (java.io.IOException e) {
      log.debug("management API at {} unreachable: {}", where(), e.toString());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
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
            + " Enable the rabbitmq_management plugin or set managementPort or management", where(), e.toString());
      }
      return OptionalLong.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalLong.empty();
    }
  }
}
