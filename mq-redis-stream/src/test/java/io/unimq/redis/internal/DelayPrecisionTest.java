package io.unimq.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import io.unimq.spi.InboundMessage;
import io.unimq.spi.TransportConsumer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Delayed messages are never early; how late they are is measured (the mover sleeps until the due time): a
 * median under 200 ms and a worst case under 2 s, below the mover's 5 s safety net.
 */
class DelayPrecisionTest extends RedisFixture {
  @Test
  void delayedMessagesArriveOnTime() throws Exception {
    RedisTransport t = transport("");
    String topic = name("precise");
    String group = name("precise-g");
    t.declareGroup(topic, group, false);
    TransportConsumer c = consumer(t, topic, group, "c", 64);
    Map<String, Instant> due = new HashMap<>();
    Instant base = Instant.now().plusMillis(800);
    for (int i = 0; i < 20; i++) {
      Message m = Message.builder(topic).body("d" + i).deliverAt(base.plusMillis(50L * i)).build();
      due.put(m.id(), m.deliverAt());
      t.publish(m).join();
    }
    List<Long> lateness = new ArrayList<>();
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (lateness.size() < 20 && System.nanoTime() < end) {
      for (InboundMessage d : c.poll(64, Duration.ofMillis(200))) {
        lateness.add(Duration.between(due.get(d.message().id()), Instant.now()).toMillis());
        d.ack();
      }
    }
    lateness.sort(null);
    System.out.printf("delay lateness ms: min %d, median %d, max %d%n", lateness.get(0), lateness.get(10), lateness.get(19));
    assertThat(lateness).hasSize(20);
    assertThat(lateness.get(0)).as("never early").isGreaterThanOrEqualTo(0);
    assertThat(lateness.get(10)).as("median lateness, ms").isLessThan(200);
    // the worst has room for a loaded machine (CI tests other modules meanwhile: 704 ms seen there) and stays
    // well under the mover's 5 s safety net, so it still shows the wake-up at the due time
    assertThat(lateness.get(19)).as("worst lateness, ms").isLessThan(2000);
  }
}
