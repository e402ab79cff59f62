package io.unimq.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.SubscriptionOptions;
import io.unimq.tck.SendsDuringRestart;
import io.unimq.testbrokers.BrokerControl;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Redis is restarted ({@code scripts/brokers restart redis}; AOF, appendfsync always) while
 * a producer sends and a consumer reads: every send that completed is delivered, delayed ones included,
 * and every send returns or fails with {@code MqSendException} within {@code sendTimeout}.
 */
class RedisRestartTest extends RedisFixture {
  @Test
  void noConfirmedMessageIsLostAcrossARestart() throws Exception {
    String topic = name("restart");
    String group = name("restart-g");
    Duration sendTimeout = Duration.ofSeconds(8);
    MqClient client = Mq.connect(redisUri() + "?lease=2s&sendTimeout=8s");
    try {
      client.admin().declareGroup(topic, group);
      // a consumer reads across the restart (its blocking connection breaks and reconnects)
      Set<String> received = ConcurrentHashMap.newKeySet();
      client.subscribe(topic, group, SubscriptionOptions.DEFAULT, d -> received.add(d.message().id()));
      Set<String> confirmed = ConcurrentHashMap.newKeySet();
      AtomicInteger failed = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      List<CompletableFuture<?>> sends = new CopyOnWriteArrayList<>();
      Thread producer = new Thread(() -> {
        for (int i = 0; !stop.get(); i++) {
          Message.Builder b = Message.builder(topic).body("r-" + i);
          if (i % 10 == 0) {
            b.delay(Duration.ofSeconds(3));
          }
          Message m = b.build();
          sends.add(client.producer().sendAsync(m).toCompletableFuture()
              .whenComplete((r, e) -> {
                if (e == null) {
                  confirmed.add(m.id());
                } else {
                  failed.incrementAndGet();
                }
              }));
          try {
            Thread.sleep(2);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      producer.start();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> confirmed.size() >= 200);
      SendsDuringRestart sender = new SendsDuringRestart(client, topic).start(); // and one at a time, timed
      long restartStart = System.nanoTime();
      BrokerControl.restart("redis");
      long restartMs = (System.nanoTime() - restartStart) / 1_000_000;
      int atRestart = confirmed.size();
      int syncAtRestart = sender.confirmed().size();
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> confirmed.size() >= atRestart + 200
          && sender.confirmed().size() >= syncAtRestart + 20);
      stop.set(true);
      producer.join();
      sender.stop(sendTimeout.plusSeconds(5));
      String summary = sender.assertWithin(sendTimeout, Duration.ofSeconds(3));
      confirmed.addAll(sender.confirmed());
      CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).handle((v, e) -> null).get(60, TimeUnit.SECONDS);

      Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(confirmed).as("confirmed sends not delivered").allMatch(received::contains));
      System.out.printf("restart took %d ms; %d sends confirmed, %d failed, %d distinct delivered; one at a time: %s%n",
          restartMs, confirmed.size(), failed.get(), received.size(), summary);
    } finally {
      client.close(Duration.ofSeconds(5));
    }
  }
}
