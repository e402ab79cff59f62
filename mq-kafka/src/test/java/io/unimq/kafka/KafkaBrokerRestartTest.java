package io.unimq.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.SubscriptionOptions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import io.unimq.testbrokers.BrokerControl;
import org.junit.jupiter.api.Test;

/** A broker restart in the middle of a stream: no confirmed message is lost. Restarts the shared broker. */
class KafkaBrokerRestartTest {

  static void restartKafka() {
    BrokerControl.restart("kafka");
  }

  @Test
  void noConfirmedMessageIsLostAcrossABrokerRestart() throws Exception {
    String topic = "restart-" + UUID.randomUUID().toString().substring(0, 8);
    try (MqClient c = Mq.connect(KafkaTestSupport.uri() + "&sendTimeout=60s")) {
      Set<String> got = ConcurrentHashMap.newKeySet();
      c.subscribe(topic, topic + "-g", SubscriptionOptions.DEFAULT, d -> got.add(d.id()));
      List<String> confirmed = new CopyOnWriteArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      Thread sender = new Thread(() -> {
        for (int i = 0; !stop.get(); i++) {
          Message m = Message.builder(topic).key("k" + (i % 16)).body("m" + i).build();
          try {
            c.producer().send(m);
            confirmed.add(m.id());
          } catch (RuntimeException e) {
            // not confirmed: may or may not arrive
          }
        }
      });
      sender.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> confirmed.size() >= 200);
      long t0 = System.nanoTime();
      restartKafka();
      long restartMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      int atRestart = confirmed.size();
      await().atMost(Duration.ofSeconds(60)).until(() -> confirmed.size() >= atRestart + 200);
      stop.set(true);
      sender.join(70_000);
      long t1 = System.nanoTime();
      await().atMost(Duration.ofSeconds(60)).until(() -> got.containsAll(confirmed));
      System.out.printf("restart took %d ms; %d confirmed, all received %d ms after the last send%n",
          restartMillis, confirmed.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1));
    }
  }
}
