package io.unimq.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.InboundMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One active consumer per partition and group; a new one takes over, in order, after the lease lapses. */
class OrderedLeaseTest extends RedisFixture {
  @Test
  void aSecondOrderedConsumerTakesOverInOrderAfterTheFirstDies() throws Exception {
    RedisTransport t = transport("partitions=1&lease=1s");
    String topic = name("lease");
    String group = name("lease-g");
    t.declareGroup(topic, group, true);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Message m = Message.builder(topic).key("k").body("k-" + i).build();
      t.publish(m).join();
      ids.add(m.id());
    }
    RedisConsumer first = (RedisConsumer) t.openConsumer(new ConsumerSpec(topic, group, true, 4, "first", 1));
    List<InboundMessage> a = pollUntil(first, 4, Duration.ofSeconds(5));
    assertThat(a).extracting(d -> d.message().id()).containsExactlyElementsOf(ids.subList(0, 4));
    a.get(0).ack();

    RedisTransport other = transport("partitions=1&lease=1s");
    RedisConsumer second = (RedisConsumer) other.openConsumer(new ConsumerSpec(topic, group, true, 64, "second", 1));
    assertThat(second.poll(64, Duration.ofMillis(300))).as("the partition has an owner").isEmpty();

    long diedAt = System.nanoTime();
    first.abandon();
    List<InboundMessage> b = pollUntil(second, 9, Duration.ofSeconds(10));
    long tookOverMs = (System.nanoTime() - diedAt) / 1_000_000;
    assertThat(b).extracting(d -> d.message().id()).as("the dead owner's pending entries first, then the rest, in order")
        .containsExactlyElementsOf(ids.subList(1, 10));
    assertThat(tookOverMs).as("ms until the lease lapsed and was taken over").isBetween(500L, 5000L);
    b.forEach(InboundMessage::ack);
    assertThat(other.lag(topic, group)).isZero();
    second.close();
  }
}
