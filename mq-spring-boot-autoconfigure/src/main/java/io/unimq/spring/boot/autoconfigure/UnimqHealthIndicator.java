package io.unimq.spring.boot.autoconfigure;

import io.unimq.api.MqClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * UP when the broker answers a lag query of the health topic's group {@value #GROUP} within the
 * timeout (the group is declared by the first check); DOWN with the reason otherwise, or when the
 * client is closed. The details add the client's {@link MqClient#health()}: {@code connected}, the
 * {@code lastError} (type, message, time) when there was one, and each open subscription's topic,
 * group, state and in-flight count. Thread-safe.
 */
public class UnimqHealthIndicator implements HealthIndicator {

  /** The group whose lag each check reads. */
  public static final String GROUP = "unimq-health";

  private final MqClient client;
  private final String topic;
  private final Duration timeout;
  private volatile boolean declared;
  /** The check under way: a broker that hangs holds one thread, however often health is polled. */
  private CompletableFuture<Void> running;

  public UnimqHealthIndicator(MqClient client, String topic, Duration timeout) {
    this.client = client;
    this.topic = topic;
    this.timeout = timeout;
  }

  private synchronized CompletableFuture<Void> startOrJoinCheck() {
    if (running != null && !running.isDone()) {
      return running;
    }
    CompletableFuture<Void> check = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        if (!declared) {
          client.admin().declareGroup(topic, GROUP);
          declared = true;
        }
        client.admin().lag(topic, GROUP);
        check.complete(null);
      } catch (Throwable e) {
        check.completeExceptionally(e);
      }
    }, "unimq-health");
    t.setDaemon(true);
    t.start();
    running = check;
    return check;
  }

  @Override
  public Health health() {
    if (client.isClosed()) {
      return details(Health.down()).withDetail("reason", "the unimq client is closed").build();
    }
    CompletableFuture<Void> check = startOrJoinCheck();
    try {
      check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return details(Health.up()).build();
    } catch (TimeoutException e) {
      return details(Health.down()).withDetail("reason", "the broker did not answer within " + timeout).build();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return details(Health.down())
          .withDetail("reason", String.valueOf(cause.getMessage()))
          .withDetail("exception", cause.getClass().getName()).build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Health.unknown().withDetail("reason", "interrupted").build();
    }
  }

  /** The scheme and the client's own {@link io.unimq.api.Health} snapshot. */
  private Health.Builder details(Health.Builder b) {
    io.unimq.api.Health h = client.health();
    b.withDetail("scheme", h.scheme()).withDetail("connected", h.connected());
    if (h.lastError() != null) {
      b.withDetail("lastError", Map.of("type", h.lastError().type(), "message", h.lastError().message(),
          "at", h.lastError().at().toString()));
    }
    List<Map<String, Object>> subs = new ArrayList<>();
    for (io.unimq.api.Health.SubscriptionHealth s : h.subscriptions()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("topic", s.topic());
      m.put("group", s.group());
      m.put("state", s.state().name());
      m.put("inFlight", s.inFlight());
      subs.add(m);
    }
    return b.withDetail("subscriptions", subs);
  }
}
