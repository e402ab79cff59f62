package io.unimq.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.MqInvalidMessageException;
import io.unimq.api.SubscriptionOptions;
import io.unimq.tck.TckNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Delay precision of the TTL ladder, measured; long delays are accepted and parked in the top levels. */
@Timeout(120)
class RabbitDelayTest {
  private final MqClient client = Mq.connect(RabbitTestBroker.uri());
  private final String topic = TckNames.unique("delay");

  @AfterEach
  void close() {
    client.close(Duration.ofSeconds(5));
  }

  @Test
  void delayedMessagesAreNeverEarlyAndLateByTensOfMilliseconds() {
    Map<String, Long> lateness = new ConcurrentHashMap<>();
    Map<String, Instant> due = new ConcurrentHashMap<>();
    client.subscribe(topic, "g", SubscriptionOptions.builder().concurrency(4).build(), d -> {
      Instant at = Instant.now();
      lateness.put(d.message().id(), Duration.between(due.get(d.message().id()), at).toMillis());
    });
    Random random = new Random(42);
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      messages.add(Message.builder(topic).body("m" + i).delay(Duration.ofMillis(50 + random.nextInt(4000))).build());
    }
    messages.forEach(m -> due.put(m.id(), m.deliverAt()));
    messages.forEach(m -> client.producer().sendAsync(m));
    Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> lateness.size() == messages.size());
    List<Long> sorted = new ArrayList<>(lateness.values());
    Collections.sort(sorted);
    long p50 = sorted.get(sorted.size() / 2);
    long p95 = sorted.get(sorted.size() * 95 / 100);
    long max = sorted.get(sorted.size() - 1);
    System.out.printf("rabbitmq delay ladder lateness over %d messages (50 ms - 4 s): min %d ms, p50 %d ms, p95 %d ms, max %d ms%n",
        sorted.size(), sorted.get(0), p50, p95, max);
    assertThat(sorted.get(0)).as("earliest arrival relative to due time (ms)").isGreaterThanOrEqualTo(-1);
    assertThat(max).as("latest arrival relative to due time (ms)").isLessThan(1000);
  }

  @Test
  void aDayLongDelayIsAcceptedAndWaitsInTheLadder() throws Exception {
    ManagementView view = new ManagementView();
    String top = "unimq.$qdelay." + Long.highestOneBit(Duration.ofHours(24).toMillis());
    var ch = client.producer().send(Message.builder(topic).body("tomorrow").delay(Duration.ofHours(24)).build());
    assertThat(ch.messageId()).isNotNull();
    Awaitility.await().atMost(15, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500))
        .until(() -> view.queue(top).path("messages").asLong(0) >= 1);
  }

  @Test
  void aDelayBeyondTheLadderIsRefused() {
    assertThatThrownBy(() -> client.producer().send(Message.builder(topic).body("too late").delay(Duration.ofHours(80)).build()))
        .isInstanceOf(MqInvalidMessageException.class).hasMessageContaining("delay ladder maximum");
  }
}
