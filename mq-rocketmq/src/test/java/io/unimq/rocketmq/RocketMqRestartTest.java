package io.unimq.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.SubscriptionOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import io.unimq.testbrokers.BrokerControl;
import org.awaitility.Awaitility;
import io.unimq.tck.SendsDuringRestart;
import org.junit.jupiter.api.Test;

/**
 * A broker restart (the launcher's {@code restart rocketmq}: namesrv and proxy with its broker,
 * SYNC_FLUSH) loses no confirmed message: everything confirmed before and after reaches the group.
 */
class RocketMqRestartTest {
  static void restartRocketMq() {
    BrokerControl.restart("rocketmq");
  }

  @Test
  void aBrokerRestartLosesNoConfirmedMessage() throws Exception {
    String topic = "restart-" + UUID.randomUUID().toString().substring(0, 8);
    String group = topic + "-g";
    Duration sendTimeout = Duration.ofSeconds(8);
    try (MqClient c = Mq.connect(RocketMqCompatibilityTest.URI + "&sendTimeout=8s")) {
      Set<String> got = ConcurrentHashMap.newKeySet();
      c.subscribe(topic, group, SubscriptionOptions.builder().build(), d -> got.add(d.message().id()));
      List<String> confirmed = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        Message m = Message.builder(topic).key(i % 2 == 0 ? "k" + (i % 5) : null).body("before-" + i).build();
        c.producer().send(m);
        confirmed.add(m.id());
      }
      SendsDuringRestart sender = new SendsDuringRestart(c, topic).start();
      long start = System.nanoTime();
      restartRocketMq();
      long restartMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      int atRestart = sender.confirmed().size();
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> sender.confirmed().size() >= atRestart + 20);
      sender.stop(sendTimeout.plusSeconds(5));
      String summary = sender.assertWithin(sendTimeout, Duration.ofSeconds(3));
      confirmed.addAll(sender.confirmed());
      for (int i = 0; i < 50; i++) {
        Message m = Message.builder(topic).body("after-" + i).build();
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
          c.producer().send(m);
          return true;
        });
        confirmed.add(m.id());
      }
      Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> got.containsAll(confirmed));
      System.out.printf("restart took %d ms; sends during the restart: %s; all %d confirmed messages delivered %d ms after the restart began%n",
          restartMillis, summary, confirmed.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }
  }
}
