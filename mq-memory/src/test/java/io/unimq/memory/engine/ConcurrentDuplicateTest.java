package io.unimq.memory.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.unimq.api.IdempotencyStore;
import io.unimq.api.Idempotent;
import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.SubscriptionOptions;
import io.unimq.tck.TckNames;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two copies of one message handled at once by an {@link Idempotent} handler: the copy that meets
 * the key held by its twin is acked as soon as the twin is done, not a lease (a minute) later.
 */
@Timeout(30)
class ConcurrentDuplicateTest {
  @Test
  void aCopyHandledWhileItsTwinRunsIsAckedWhenTheTwinIsDoneNotALeaseLater() throws Exception {
    String topic = TckNames.unique("twins");
    try (MqClient client = Mq.connect("memory://" + topic)) {
      AtomicInteger sideEffects = new AtomicInteger();
      AtomicInteger deliveries = new AtomicInteger();
      CountDownLatch bothDelivered = new CountDownLatch(2);
      var idempotent = Idempotent.wrap(d -> {
        // the twin is delivered while this one runs
        assertThat(bothDelivered.await(5, TimeUnit.SECONDS)).as("the twin delivered while the first runs").isTrue();
        Thread.sleep(300);
        sideEffects.incrementAndGet();
      }, IdempotencyStore.inMemory());
      client.subscribe(topic, "g", SubscriptionOptions.builder().concurrency(2).build(), d -> {
        deliveries.incrementAndGet();
        bothDelivered.countDown();
        idempotent.handle(d);
      });
      Message m = Message.builder(topic).id("twin-1").body("charge").build();
      long start = System.nanoTime();
      client.producer().send(m);
      client.producer().send(m);
      await().atMost(Duration.ofSeconds(10)).until(() -> client.admin().lag(topic, "g") == 0);
      long settledMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(sideEffects.get()).as("side effects").isEqualTo(1);
      assertThat(deliveries.get()).as("deliveries: each copy once, none brought back").isEqualTo(2);
      assertThat(settledMillis).as("both copies settled soon after the 300 ms handler").isLessThan(3_000);
    }
  }
}
