package io.unimq.memory.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.MqSendException;
import io.unimq.api.SendReceipt;
import io.unimq.api.SubscriptionOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sends retried after a lost connection keep their key's send order: a key's sends made while an
 * earlier one is retried wait for it, instead of landing before it when their backoff is shorter.
 */
class RetriedSendsKeepKeyOrderTest {
  private static final int KEYS = 4;

  @AfterEach
  void connectionBack() {
    DisconnectedProvider.OUTAGE = false;
  }

  private static String uri(String sendTimeout) {
    return "broken-disconnected://t" + UUID.randomUUID().toString().substring(0, 8) + "?sendTimeout=" + sendTimeout + "&sendRetries=1";
  }

  @Test
  void sendsMadeDuringAnOutageArriveInSendOrderPerKey() throws Exception {
    String topic = "outage-" + UUID.randomUUID().toString().substring(0, 8);
    int total = 240;
    try (MqClient c = Mq.connect(uri("30s"))) {
      Map<String, List<Integer>> firstDeliveries = new ConcurrentHashMap<>();
      Set<String> seen = ConcurrentHashMap.newKeySet();
      c.subscribe(topic, "g", SubscriptionOptions.builder().ordered(true).build(), d -> {
        if (seen.add(d.message().id())) {
          firstDeliveries.computeIfAbsent(d.message().key(), k -> Collections.synchronizedList(new ArrayList<>()))
              .add(Integer.parseInt(d.message().bodyAsString()));
        }
      });
      List<CompletableFuture<SendReceipt>> sends = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        // the connection is lost from the 40th send to the 160th: about 1.2 s at one send per 10 ms
        if (i == 40) {
          DisconnectedProvider.OUTAGE = true;
        } else if (i == 160) {
          DisconnectedProvider.OUTAGE = false;
        }
        sends.add(c.producer().sendAsync(Message.builder(topic).key("k" + i % KEYS).body(Integer.toString(i)).build())
            .toCompletableFuture());
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // the producer's pace, not a synchronization
      }
      CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == total);
      for (int k = 0; k < KEYS; k++) {
        List<Integer> expected = new ArrayList<>();
        for (int i = k; i < total; i += KEYS) {
          expected.add(i);
        }
        assertThat(firstDeliveries.get("k" + k)).as("first deliveries of key k" + k).containsExactlyElementsOf(expected);
      }
    }
  }

  @Test
  void sendsWhoseFailuresAreReportedNewestFirstAreRetriedInSendOrder() throws Exception {
    String topic = "held-" + UUID.randomUUID().toString().substring(0, 8);
    int total = 20;
    try (MqClient c = Mq.connect(uri("30s"))) {
      List<Integer> firstDeliveries = Collections.synchronizedList(new ArrayList<>());
      Set<String> seen = ConcurrentHashMap.newKeySet();
      c.subscribe(topic, "g", SubscriptionOptions.builder().ordered(true).build(), d -> {
        if (seen.add(d.message().id())) {
          firstDeliveries.add(Integer.parseInt(d.message().bodyAsString()));
        }
      });
      DisconnectedProvider.OUTAGE = true;
      List<CompletableFuture<SendReceipt>> sends = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        sends.add(c.producer().sendAsync(Message.builder(topic).key("a").body(Integer.toString(i)).build()).toCompletableFuture());
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> DisconnectedProvider.HELD.size() == total);
      DisconnectedProvider.OUTAGE = false;
      DisconnectedProvider.failHeldNewestFirst(); // the last send's failure is reported first
      CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == total);
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        expected.add(i);
      }
      assertThat(firstDeliveries).as("first deliveries of key a").containsExactlyElementsOf(expected);
    }
  }

  @Test
  void aSendWaitingBehindARetriedSendOfItsKeyStillReportsWithinItsSendTimeout() {
    String topic = "outage-" + UUID.randomUUID().toString().substring(0, 8);
    DisconnectedProvider.OUTAGE = true;
    try (MqClient c = Mq.connect(uri("1500ms"))) {
      Message m1 = Message.builder(topic).key("a").body("1").build();
      CompletableFuture<SendReceipt> first = c.producer().sendAsync(m1).toCompletableFuture();
      await().atMost(Duration.ofSeconds(1)).until(() -> DisconnectedProvider.PUBLISHES.containsKey(m1.id()));
      long start = System.nanoTime();
      Message m2 = Message.builder(topic).key("a").body("2").build();
      CompletableFuture<SendReceipt> second = c.producer().sendAsync(m2).toCompletableFuture();
      await().atMost(Duration.ofSeconds(5)).until(second::isDone);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(millis).as("time until the waiting send failed").isBetween(1000L, 3000L);
      assertThat(second).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
          .havingCause().isInstanceOf(MqSendException.class).withMessageContaining(m2.id());
      assertThat(first).isDone().isCompletedExceptionally();
    }
  }
}
