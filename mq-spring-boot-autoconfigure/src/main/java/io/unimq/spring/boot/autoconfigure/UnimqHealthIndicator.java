package io.unimq.spring.boot.autoconfigure;

import io.unimq.api.MqClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * UP when the broker answers a lag query of the health topic's group {@value #GROUP} within the
 * timeout (the group is declared by the first check); DOWN with the reason otherwise, or when the
 * client is closed. Thread-safe.
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
      return Health.down().withDetail("scheme", client.scheme()).withDetail("reason", "the unimq client is closed").build();
    }
    CompletableFuture<Void> check = startOrJoinCheck();
    try {
      check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return Health.up().withDetail("scheme", client.scheme()).build();
    } catch (TimeoutException e) {
      return Health.down().withDetail("scheme", client.scheme())
          .withDetail("reason", "the broker did not answer within " + timeout).build();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return Health.down().withDetail("scheme", client.scheme())
          .withDetail("reason", String.valueOf(cause.getMessage()))
          .withDetail("exception", cause.getClass().getName()).build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Health.unknown().withDetail("reason", "interrupted").build();
    }
  }
}
