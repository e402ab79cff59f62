package io.unimq.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.awaitility.Awaitility;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.TransactionChecker;
import io.unimq.api.TransactionState;
import io.unimq.api.TransactionalProducer;
import io.unimq.outbox.OutboxRelay;
import io.unimq.spring.MqListener;
import io.unimq.spring.MqListenerContainer;
import io.unimq.spring.MqListenerRegistry;
import io.unimq.spring.TransactionalOutbox;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/** Which beans exist when, and how properties and annotations combine. */
class WiringTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(UnimqAutoConfiguration.class, UnimqOutboxAutoConfiguration.class,
          UnimqActuatorAutoConfiguration.class))
      .withPropertyValues("test.run=wiring-" + UUID.randomUUID());

  @Configuration(proxyBeanMethods = false)
  static class Listener {
    final List<Payment> received = new CopyOnWriteArrayList<>();

    @MqListener(id = "payments", topic = "${test.run}-annotation", group = "g", concurrency = "2")
    void on(Payment payment) {
      received.add(payment);
    }
  }

  public record Payment(String id, long cents) {}

  @Test
  void subscriptionPropertiesOverrideTheAnnotation() {
    runner.withUserConfiguration(Listener.class)
        .withPropertyValues("unimq.subscriptions.payments.topic=${test.run}-property", "unimq.subscriptions.payments.concurrency=3",
            "unimq.subscriptions.payments.ordered=true", "unimq.subscriptions.payments.retry.max-attempts=7",
            "unimq.subscriptions.payments.retry.initial-backoff=20ms", "unimq.subscriptions.payments.dead-letter=false")
        .run(context -> {
          MqListenerContainer c = context.getBean(MqListenerRegistry.class).container("payments");
          String run = context.getEnvironment().getProperty("test.run");
          assertThat(c.topic()).isEqualTo(run + "-property");
          assertThat(c.group()).isEqualTo("g");
          assertThat(c.options().concurrency()).isEqualTo(3);
          assertThat(c.options().ordered()).isTrue();
          assertThat(c.options().deadLetter()).isFalse();
          assertThat(c.options().retryPolicy().maxAttempts()).isEqualTo(7);
          assertThat(c.options().retryPolicy().initialBackoff()).isEqualTo(Duration.ofMillis(20));
          assertThat(c.isRunning()).isTrue();
        });
  }

  @Test
  void uriParametersComeFromProperties() {
    assertThat(UnimqAutoConfiguration.brokerUri("memory://", Map.of())).isEqualTo("memory://default");
    assertThat(UnimqAutoConfiguration.brokerUri("memory://?maxMessageSize=10", Map.of())).isEqualTo("memory://default?maxMessageSize=10");
    assertThat(UnimqAutoConfiguration.brokerUri("kafka://h:9092?partitions=8", Map.of("kafka.linger.ms", "5")))
        .isEqualTo("kafka://h:9092?partitions=8&kafka.linger.ms=5");
    runner.withPropertyValues("unimq.parameters.maxMessageSize=1000")
        .run(context -> assertThat(context.getBean(io.unimq.api.MqClient.class).maxMessageSize()).isEqualTo(1000));
    runner.withPropertyValues("unimq.parameters.bogus=1")
        .run(context -> assertThat(context).hasFailed().getFailure().rootCause().isInstanceOf(MqConfigurationException.class)
            .hasMessageContaining("bogus"));
  }

  @Configuration(proxyBeanMethods = false)
  static class Manual {
    @MqListener(id = "manual", topic = "${test.run}-manual", group = "g", ackMode = "manual")
    void on(io.unimq.api.Delivery delivery) {
      delivery.ack();
    }
  }

  @Test
  void manualAckFromTheAnnotation() {
    runner.withUserConfiguration(Manual.class).run(context -> {
      MqListenerContainer c = context.getBean(MqListenerRegistry.class).container("manual");
      assertThat(c.options().ackMode()).isEqualTo(io.unimq.api.AckMode.MANUAL);
      String run = context.getEnvironment().getProperty("test.run");
      context.getBean(io.unimq.spring.MqTemplate.class).send(run + "-manual", "m");
      c.awaitHandled(1, Duration.ofSeconds(10));
      io.unimq.api.MqClient client = context.getBean(io.unimq.api.MqClient.class);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.admin().lag(run + "-manual", "g") == 0);
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class NoTopic {
    @MqListener(id = "lost", group = "g")
    void on(String body) {}
  }

  @Test
  void aListenerWithoutTopicFailsNamingTheProperty() {
    runner.withUserConfiguration(NoTopic.class).run(context -> assertThat(context).hasFailed().getFailure()
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("unimq.subscriptions.lost.topic"));
  }

  @Configuration(proxyBeanMethods = false)
  static class Checker {
    @Bean
    TransactionChecker checker() {
      return half -> TransactionState.COMMIT;
    }
  }

  @Test
  void transactionalProducerWhenACheckerExists() {
    runner.run(context -> assertThat(context).doesNotHaveBean(TransactionalProducer.class));
    runner.withUserConfiguration(Checker.class).withPropertyValues("unimq.transactions.producer-group=billing-tx")
        .run(context -> assertThat(context.getBean(TransactionalProducer.class).producerGroup()).isEqualTo("billing-tx"));
  }

  @Configuration(proxyBeanMethods = false)
  static class Meters {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }

  @Test
  void outboxWritesInTheTransactionAndTheRelayPublishesWithTheContext() {
    runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
            DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class))
        .withUserConfiguration(Listener.class, Meters.class)
        .withPropertyValues("unimq.outbox.interval=20ms") // an embedded H2 of its own
        .run(context -> {
          assertThat(context).hasSingleBean(OutboxRelay.class);
          TransactionalOutbox outbox = context.getBean(TransactionalOutbox.class);
          String run = context.getEnvironment().getProperty("test.run");
          assertThatThrownBy(() -> outbox.write(run + "-annotation", "p", new Payment("p-0", 1)))
              .isInstanceOf(MqConfigurationException.class).hasMessageContaining("active transaction");

          TransactionTemplate tx = context.getBean(TransactionTemplate.class);
          tx.executeWithoutResult(status -> outbox.write(run + "-annotation", "p", new Payment("p-1", 100)));
          tx.executeWithoutResult(status -> {
            outbox.write(run + "-annotation", "p", new Payment("p-rolled-back", 1));
            status.setRollbackOnly();
          });
          tx.executeWithoutResult(status -> outbox.write(run + "-annotation", "p", new Payment("p-2", 200)));

          context.getBean(MqListenerRegistry.class).awaitHandled("payments", 2, Duration.ofSeconds(10));
          Listener l = context.getBean(Listener.class);
          assertThat(l.received).containsExactly(new Payment("p-1", 100), new Payment("p-2", 200));
          MeterRegistry meters = context.getBean(MeterRegistry.class);
          // the handle timer records just after the handler returns, and the relay marks a row
          // published after the broker confirmed it: both can trail the listener
          Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(meters.get("unimq.handle").tag("group", "g").timer().count()).isEqualTo(2);
            assertThat(meters.get("unimq.outbox.published").functionCounter().count()).isEqualTo(2);
          });
        });
  }
}
