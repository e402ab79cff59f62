package io.unimq.rabbit;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.SubscriptionOptions;
import io.unimq.tck.SendsDuringRestart;
import io.unimq.tck.TckNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A broker restart ({@code scripts/brokers restart rabbitmq}) loses no confirmed message, keeps a
 * pending delay, and a subscription opened before it resumes consuming after it; a send during the
 * restart returns or fails with {@code MqSendException} within {@code sendTimeout}. Restarts the
 * shared RabbitMQ: do not run beside other tests of this broker.
 */
@Timeout(300)
class RabbitRecoveryTest {
  @Test
  void confirmedMessagesSurviveARestartAndASubscriptionResumes() throws Exception {
    String topic = TckNames.unique("restart");
    Duration sendTimeout = Duration.ofSeconds(8);
    try (MqClient client = Mq.connect(RabbitTestBroker.uri() + (RabbitTestBroker.uri().contains("?") ? "&" : "?") + "sendTimeout=8s")) {
      Set<String> live = ConcurrentHashMap.newKeySet();
      Map<String, Instant> liveAt = new ConcurrentHashMap<>();
      client.admin().declareGroup(topic, "kept");
      client.subscribe(topic, "live", SubscriptionOptions.builder().concurrency(2).build(), d -> {
        live.add(d.message().id());
        liveAt.putIfAbsent(d.message().id(), Instant.now());
      });
      List<Message> before = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        before.add(Message.builder(topic).key("k" + (i % 7)).body("before-" + i).build());
      }
      client.producer().sendBatch(before);
      Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> live.size() == 200);

      Message later = Message.builder(topic).body("spans the restart").delay(Duration.ofSeconds(15)).build();
      client.producer().send(later);
      SendsDuringRestart sender = new SendsDuringRestart(client, topic).start();
      long start = System.nanoTime();
      RabbitTestBroker.brokers("restart");
      System.out.printf("rabbitmq restart took %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      int atRestart = sender.confirmed().size();
      Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> sender.confirmed().size() >= atRestart + 20);
      sender.stop(sendTimeout.plusSeconds(5));
      System.out.printf("sends during the restart: %s%n", sender.assertWithin(sendTimeout, Duration.ofSeconds(3)));

      // the client reconnects by itself; the first sends after the restart may need the engine's retries
      List<Message> after = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        after.add(Message.builder(topic).body("after-" + i).build());
      }
      long recovering = System.nanoTime();
      Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
          .until(() -> client.producer().send(after.get(0)) != null);
      System.out.printf("first confirmed send %d ms after the restart returned%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - recovering));
      client.producer().sendBatch(after.subList(1, after.size()));

      Awaitility.await("the live subscription resumes").atMost(60, TimeUnit.SECONDS)
          .until(() -> after.stream().allMatch(m -> live.contains(m.id())));

      Set<String> kept = ConcurrentHashMap.newKeySet();
      client.subscribe(topic, "kept", SubscriptionOptions.builder().build(), d -> kept.add(d.message().id()));
      List<String> expected = new ArrayList<>();
      before.forEach(m -> expected.add(m.id()));
      expected.addAll(sender.confirmed());
      after.forEach(m -> expected.add(m.id()));
      Awaitility.await("every confirmed message in the group declared before the restart").atMost(60, TimeUnit.SECONDS)
          .until(() -> kept.containsAll(expected));

      Awaitility.await("the delay sent before the restart").atMost(60, TimeUnit.SECONDS)
          .until(() -> liveAt.containsKey(later.id()));
      assertThat(liveAt.get(later.id())).as("delayed message never early across a restart").isAfterOrEqualTo(later.deliverAt());
    }
  }
}
