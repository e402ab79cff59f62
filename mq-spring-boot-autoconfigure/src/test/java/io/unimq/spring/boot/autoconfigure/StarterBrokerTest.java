package io.unimq.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.unimq.api.DeadLetters;
import io.unimq.api.Delivery;
import io.unimq.api.Message;
import io.unimq.api.MqClient;
import io.unimq.spring.MqListener;
import io.unimq.spring.MqListenerContainer;
import io.unimq.spring.MqListenerRegistry;
import io.unimq.spring.MqTemplate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * The starter against one broker, chosen by URI: argument binding, retry and dead letters, shutdown
 * drain, health and the endpoint. Each test has topics and groups of its own.
 */
abstract class StarterBrokerTest {

  /** The broker URI; a broker that is down fails the test. */
  abstract String uri();

  /** How long a message may take end to end on this broker. */
  Duration patience() {
    return Duration.ofSeconds(30);
  }

  /** Client options for this broker, as unimq.parameters.* properties. */
  String[] parameters() {
    return new String[0];
  }

  ApplicationContextRunner runner(Class<?> listeners) {
    String run = getClass().getSimpleName().toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8);
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(UnimqAutoConfiguration.class, UnimqActuatorAutoConfiguration.class,
            org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration.class))
        .withPropertyValues("unimq.uri=" + uri(), "test.run=" + run, "management.endpoints.web.exposure.include=*")
        .withPropertyValues(parameters())
        .withUserConfiguration(listeners);
  }

  public record Order(String id, int quantity) {}

  @Configuration(proxyBeanMethods = false)
  static class Binding {
    final List<Object> received = new CopyOnWriteArrayList<>();
    final AtomicInteger failures = new AtomicInteger();

    @MqListener(id = "pojo", topic = "${test.run}-pojo", group = "g")
    void pojo(Order order, Delivery delivery) {
      received.add(order);
      received.add(delivery.header(MqTemplate.CONTENT_TYPE));
    }

    @MqListener(id = "text", topic = "${test.run}-text", group = "g")
    void text(String body) {
      received.add(body);
    }

    @MqListener(id = "bytes", topic = "${test.run}-bytes", group = "g")
    void bytes(byte[] body, Message message) {
      received.add(new String(body, StandardCharsets.UTF_8) + "/" + message.key());
    }

    @MqListener(id = "failing", topic = "${test.run}-failing", group = "g", maxAttempts = "3", initialBackoff = "50ms")
    void failing(Delivery delivery) {
      failures.incrementAndGet();
      throw new IllegalStateException("refused attempt " + delivery.attempt());
    }
  }

  @Test
  void bindsArgumentsAndRetriesThenDeadLetters() {
    runner(Binding.class).run(context -> {
      assertThat(context).hasNotFailed();
      Binding b = context.getBean(Binding.class);
      MqTemplate template = context.getBean(MqTemplate.class);
      MqListenerRegistry registry = context.getBean(MqListenerRegistry.class);
      String run = context.getEnvironment().getProperty("test.run");

      template.send(run + "-pojo", "o-1", new Order("o-1", 3));
      template.send(run + "-text", "hello");
      template.send(run + "-bytes", "k", "raw".getBytes(StandardCharsets.UTF_8));
      template.send(run + "-failing", "x", "doomed");

      registry.awaitHandled("pojo", 1, patience());
      registry.awaitHandled("text", 1, patience());
      registry.awaitHandled("bytes", 1, patience());
      assertThat(b.received).contains(new Order("o-1", 3), "application/json", "hello", "raw/k");

      MqClient client = context.getBean(MqClient.class);
      DeadLetters dead = client.deadLetters(run + "-failing", "g");
      await().atMost(patience()).until(() -> dead.count() == 1);
      assertThat(b.failures).hasValue(3);
      assertThat(registry.container("failing").failedCount()).isEqualTo(3);
      Message m = dead.peek(1).get(0);
      assertThat(m.bodyAsString()).isEqualTo("doomed");
      assertThat(m.header("unimq-dlq-attempts")).isEqualTo("3");
      assertThat(m.header("unimq-dlq-exception")).isEqualTo(IllegalStateException.class.getName());
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class Slow {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicLong finishedAt = new AtomicLong();

    @MqListener(id = "slow", topic = "${test.run}-slow", group = "g")
    void slow(String body) throws InterruptedException {
      entered.countDown();
      assertThat(release.await(60, TimeUnit.SECONDS)).isTrue();
      finishedAt.set(System.nanoTime());
    }
  }

  @Test
  void shutdownWaitsForTheInFlightHandler() {
    runner(Slow.class).run(context -> {
      Slow s = context.getBean(Slow.class);
      String run = context.getEnvironment().getProperty("test.run");
      context.getBean(MqTemplate.class).send(run + "-slow", "k", "work");
      assertThat(s.entered.await(patience().toSeconds(), TimeUnit.SECONDS)).isTrue();
      MqListenerContainer container = context.getBean(MqListenerRegistry.class).container("slow");

      AtomicLong closedAt = new AtomicLong();
      Thread closer = new Thread(() -> {
        context.close();
        closedAt.set(System.nanoTime());
      });
      closer.start();
      // the close is blocked on the handler, however long it takes
      await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).until(closer::isAlive);
      s.release.countDown();
      closer.join(patience().toMillis());
      assertThat(closer.isAlive()).isFalse();
      assertThat(s.finishedAt.get()).isPositive().isLessThan(closedAt.get());
      assertThat(container.handledCount()).isEqualTo(1);
      assertThat(container.isRunning()).isFalse();
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class One {
    @MqListener(id = "one", topic = "${test.run}-one", group = "audit", ordered = "true", concurrency = "2")
    void one(String body) {}
  }

  @Test
  void healthIsUpAndTheEndpointListsSubscriptions() {
    runner(One.class).run(context -> {
      Health health = context.getBean(UnimqHealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      String run = context.getEnvironment().getProperty("test.run");
      assertThat(health.getDetails()).containsEntry("connected", true).doesNotContainKey("lastError");
      assertThat(health.getDetails().get("subscriptions")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
          .singleElement().isEqualTo(Map.of("topic", run + "-one", "group", "audit", "state", "RUNNING", "inFlight", 0));
      context.getBean(MqTemplate.class).send(run + "-one", "k", "x");
      context.getBean(MqListenerRegistry.class).awaitHandled("one", 1, patience());

      Map<String, Object> out = context.getBean(UnimqEndpoint.class).unimq();
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> subs = (List<Map<String, Object>>) out.get("subscriptions");
      assertThat(subs).singleElement().satisfies(s -> {
        assertThat(s).containsEntry("id", "one").containsEntry("topic", run + "-one").containsEntry("group", "audit")
            .containsEntry("ordered", true).containsEntry("concurrency", 2).containsEntry("running", true)
            .containsEntry("handled", 1L).containsEntry("deadLetters", 0L);
        assertThat(s.get("lag")).isInstanceOf(Long.class);
      });
      await().atMost(patience()).until(() -> context.getBean(MqClient.class).admin().lag(run + "-one", "audit") == 0);
    });
  }
}
