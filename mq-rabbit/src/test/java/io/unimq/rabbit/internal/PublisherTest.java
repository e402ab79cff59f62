package io.unimq.rabbit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import io.unimq.api.MqInvalidMessageException;
import io.unimq.spi.MqConfig;
import io.unimq.testbrokers.TestBrokers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The publisher on its own, past the engine's checks: a publish the AMQP client refuses to encode
 * (it numbers the publish first) must not shift the confirms of the publishes after it.
 */
@Timeout(60)
class PublisherTest {
  @Test
  void aPublishTheClientCannotEncodeLeavesConfirmsMatchedToTheirSends() throws Exception {
    RabbitSettings settings = RabbitSettings.from(MqConfig.parse(TestBrokers.rabbitmqUri()));
    ExecutorService completions = Executors.newSingleThreadExecutor();
    Connection connection = settings.connectionFactory().newConnection("publisher-test");
    try {
      Publisher p = new Publisher(connection, 64, Duration.ofSeconds(10), completions, settings.address(), r -> {});
      String queue = "unimq-publisher-test-" + System.nanoTime();
      try (var ch = connection.createChannel()) {
        ch.queueDeclare(queue, false, false, true, null);
      }
      AMQP.BasicProperties bad = new AMQP.BasicProperties.Builder().headers(Map.of("h".repeat(256), "v")).build();
      CompletableFuture<Void> refused = p.publish("", queue, false, bad, new byte[1]);
      long start = System.nanoTime();
      List<CompletableFuture<Void>> good = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        good.add(p.publish("", queue, false, new AMQP.BasicProperties(), new byte[] {(byte) i}));
      }
      CompletableFuture.allOf(good.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(refused).failsWithin(Duration.ofSeconds(1)).withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(MqInvalidMessageException.class).withMessageContaining("255");
      start = System.nanoTime();
      p.close();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("close").isLessThan(Duration.ofSeconds(2));
    } finally {
      connection.close(5000);
      completions.shutdown();
    }
  }
}
