package io.unimq.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.Subscription;
import io.unimq.api.SubscriptionOptions;
import io.unimq.tck.TckNames;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine's leader/follower threads (shared by every adapter): the thread that polled runs a
 * small batch of fast messages itself, yet slow handlers still run {@code concurrency} at once, and
 * one slow message after many fast ones does not hold up the rest.
 */
@Timeout(60)
class HandlerThreadsTest {
  private final String topic = TckNames.unique("threads");

  @Test
  void slowHandlersRunConcurrencyAtOnce() throws Exception {
    try (MqClient client = Mq.connect("memory://" + topic)) {
      AtomicInteger running = new AtomicInteger();
      AtomicInteger most = new AtomicInteger();
      CountDownLatch done = new CountDownLatch(8);
      Subscription s = client.subscribe(topic, "g", SubscriptionOptions.builder().concurrency(4).build(), d -> {
        most.accumulateAndGet(running.incrementAndGet(), Math::max);
        Thread.sleep(300);
        running.decrementAndGet();
        done.countDown();
      });
      long start = System.nanoTime();
      for (int i = 0; i < 8; i++) {
        client.producer().send(Message.builder(topic).body("slow-" + i).build());
      }
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(most.get()).as("handlers at once with concurrency 4").isEqualTo(4);
      assertThat(tookMillis).as("8 handlers of 300 ms on 4 threads").isBetween(550L, 1800L);
      s.close();
    }
  }

  @Test
  void aSlowMessageAfterManyFastOnesDoesNotHoldUpTheRest() throws Exception {
    try (MqClient client = Mq.connect("memory://" + topic)) {
      CountDownLatch fast = new CountDownLatch(500);
      CountDownLatch slowStarted = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch after = new CountDownLatch(20);
      Subscription s = client.subscribe(topic, "g", SubscriptionOptions.builder().concurrency(4).build(), d -> {
        String body = d.bodyAsString();
        if (body.startsWith("fast")) {
          fast.countDown();
        } else if (body.equals("slow")) {
          slowStarted.countDown();
          release.await(20, TimeUnit.SECONDS); // blocks its thread until the others are through
        } else {
          after.countDown();
        }
      });
      for (int i = 0; i < 500; i++) {
        client.producer().send(Message.builder(topic).body("fast-" + i).build());
      }
      assertThat(fast.await(10, TimeUnit.SECONDS)).as("fast messages handled").isTrue();
      client.producer().send(Message.builder(topic).body("slow").build());
      assertThat(slowStarted.await(5, TimeUnit.SECONDS)).isTrue();
      long start = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        client.producer().send(Message.builder(topic).body("after-" + i).build());
      }
      boolean through = after.await(5, TimeUnit.SECONDS);
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      release.countDown();
      assertThat(through).as("messages after a stuck handler are handled by the other threads").isTrue();
      assertThat(tookMillis).as("another thread takes over polling within ~20 ms").isLessThan(2000L);
      s.close();
    }
  }

  @Test
  void everyMessageOfABurstIsHandledOnceWhateverThreadPolled() throws Exception {
    try (MqClient client = Mq.connect("memory://" + topic)) {
      ConcurrentHashMap<String, Integer> seen = new ConcurrentHashMap<>();
      ConcurrentHashMap<String, Boolean> threads = new ConcurrentHashMap<>();
      CountDownLatch done = new CountDownLatch(20_000);
      Subscription s = client.subscribe(topic, "g", SubscriptionOptions.builder().concurrency(3).prefetch(64).build(), d -> {
        seen.merge(d.bodyAsString(), 1, Integer::sum);
        threads.put(Thread.currentThread().getName(), true);
        done.countDown();
      });
      for (int i = 0; i < 20_000; i++) {
        client.producer().sendAsync(Message.builder(topic).body("m" + i).build());
      }
      assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
      s.close(Duration.ofSeconds(5));
      assertThat(seen).hasSize(20_000);
      assertThat(seen.values()).allMatch(n -> n == 1);
      assertThat(threads.keySet()).allMatch(n -> n.contains("-worker-"));
    }
  }
}
