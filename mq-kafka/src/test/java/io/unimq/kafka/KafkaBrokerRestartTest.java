package io.unimq.kafka;

import static org.awaitility.Awaitility.await;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.SubscriptionOptions;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import io.unimq.testbrokers.BrokerControl;
import io.unimq.tck.SendsDuringRestart;
import org.junit.jupiter.api.Test;

/**
 * A broker restart in the middle of a stream: no confirmed message is lost, and every send returns or
 * fails with {@code MqSendException} within {@code sendTimeout}. Restarts the shared broker.
 */
class KafkaBrokerRestartTest {

  static void restartKafka() {
    BrokerControl.restart("kafka");
  }

  @Test
  void noConfirmedMessageIsLostAcrossABrokerRestartAndNoSendBlocksPastTheSendTimeout() throws Exception {
    String topic = "restart-" + UUID.randomUUID().toString().substring(0, 8);
    Duration sendTimeout = Duration.ofSeconds(8);
    try (MqClient c = Mq.connect(KafkaTestSupport.uri() + "&sendTimeout=8s")) {
      Set<String> got = ConcurrentHashMap.newKeySet();
      c.subscribe(topic, topic + "-g", SubscriptionOptions.DEFAULT, d -> got.add(d.id()));
      SendsDuringRestart sender = new SendsDuringRestart(c, topic).start();
      await().atMost(Duration.ofSeconds(20)).until(() -> sender.confirmed().size() >= 200);
      long t0 = System.nanoTime();
      restartKafka();
      long restartMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      int atRestart = sender.confirmed().size();
      await().atMost(Duration.ofSeconds(60)).until(() -> sender.confirmed().size() >= atRestart + 200);
      sender.stop(sendTimeout.plusSeconds(5));
      String summary = sender.assertWithin(sendTimeout, Duration.ofSeconds(3));
      long t1 = System.nanoTime();
      await().atMost(Duration.ofSeconds(60)).until(() -> got.containsAll(sender.confirmed()));
      System.out.printf("restart took %d ms; %s; all confirmed received %d ms after the last send%n",
          restartMillis, summary, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1));
    }
  }
}
