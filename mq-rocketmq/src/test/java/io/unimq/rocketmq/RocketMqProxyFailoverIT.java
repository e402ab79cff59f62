package io.unimq.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.MqException;
import io.unimq.tck.TckNames;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The loss of one proxy of {@code rocketmq-cluster}: a client connected through both proxies sends with
 * confirms and consumes while {@code proxy1} (the first of the URI, the one the client's gRPC channel uses
 * first) is SIGKILLed; sends and consumption move to {@code proxy2} without the application doing anything.
 * Asserts that every confirmed message is delivered and that sends resume after the kill, and prints how
 * long they stopped. Kills a node: run only with the topology up and nothing else using it.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class RocketMqProxyFailoverIT {
  @Test
  void killingTheFirstProxyMovesTheClientToTheOther() {
    String topic = TckNames.unique("proxyloss");
    Set<String> confirmed = ConcurrentHashMap.newKeySet();
    Map<String, Integer> delivered = new ConcurrentHashMap<>();
    java.util.concurrent.atomic.AtomicLong killed = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicLong firstAfterKill = new java.util.concurrent.atomic.AtomicLong();
    AtomicInteger failures = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    try (MqClient client = Mq.connect(RocketClusterBroker.uri())) {
      client.subscribe(topic, "g", d -> delivered.merge(d.id(), 1, Integer::sum));
      Thread sender = new Thread(() -> {
        while (!stop.get()) {
          Message m = Message.builder(topic).body("x").build();
          try {
            client.producer().send(m);
            confirmed.add(m.id());
            if (killed.get() != 0) {
              firstAfterKill.compareAndSet(0, System.nanoTime());
            }
          } catch (MqException e) {
            failures.incrementAndGet();
          }
          LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
      }, "proxy-failover-sender");
      sender.start();
      await().atMost(Duration.ofMinutes(2)).until(() -> confirmed.size() >= 200 && delivered.size() >= 100);
      int atKill = confirmed.size();
      killed.set(System.nanoTime());
      RocketClusterBroker.kill("proxy1");
      await().atMost(Duration.ofMinutes(3)).until(() -> firstAfterKill.get() != 0);
      double resumed = (firstAfterKill.get() - killed.get()) / 1e9;
      await().atMost(Duration.ofMinutes(3)).until(() -> confirmed.size() >= atKill + 300);
      stop.set(true);
      await().atMost(Duration.ofMinutes(1)).until(() -> !sender.isAlive());
      await().atMost(Duration.ofMinutes(3)).until(() -> delivered.keySet().containsAll(confirmed));
      int twice = delivered.values().stream().mapToInt(n -> n - 1).sum();
      System.out.printf(java.util.Locale.ROOT, "RocketMqProxyFailoverIT: proxy1 killed; confirmed %d, failed sends %d, delivered twice %d,"
          + " first confirmed send %.1f s after the kill%n", confirmed.size(), failures.get(), twice, resumed);
      assertThat(delivered.keySet()).containsAll(confirmed);
    } finally {
      stop.set(true);
      RocketClusterBroker.up();
    }
  }
}
