package io.unimq.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.unimq.spi.InboundMessage;
import io.unimq.spi.TransportConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pending entries of a dead consumer come back after the lease; those of a live slow one do not. */
class ReclaimTest extends RedisFixture {
  @Test
  @SuppressWarnings("unchecked")
  void entriesReadByAConsumerWhoseConnectionDroppedGoToAnotherAfterTheLease() throws Exception {
    RedisTransport t = transport("lease=1500ms&partitions=2");
    String topic = name("reclaim");
    String group = name("reclaim-g");
    t.declareGroup(topic, group, false);
    List<String> ids = publish(t, topic, 10);

    // the victim reads every entry with XREADGROUP and dies without acking (its connection drops)
    StatefulRedisConnection<String, byte[]> victim = raw();
    List<StreamMessage<String, byte[]>> taken = new ArrayList<>();
    for (String stream : Keys.partitions(topic, 2)) {
      taken.addAll(victim.sync().xreadgroup(Consumer.from(group, "victim"), XReadArgs.Builder.count(100),
          StreamOffset.lastConsumed(stream)));
    }
    long diedAt = System.nanoTime();
    victim.close();
    assertThat(taken).hasSize(10);

    TransportConsumer heir = consumer(t, topic, group, "heir", 64);
    assertThat(heir.poll(64, Duration.ofMillis(500))).as("nothing is taken from the victim before its lease ends").isEmpty();
    List<InboundMessage> got = pollUntil(heir, 10, Duration.ofSeconds(10));
    long afterMs = (System.nanoTime() - diedAt) / 1_000_000;
    assertThat(got).extracting(d -> d.message().id()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(afterMs).as("ms from the victim's death to the reclaim").isGreaterThanOrEqualTo(1450);
    got.forEach(InboundMessage::ack);
    assertThat(t.lag(topic, group)).isZero();
  }

  @Test
  void aLiveSlowHandlerKeepsItsEntriesPastTheLease() throws Exception {
    RedisTransport t = transport("lease=900ms");
    String topic = name("slow");
    String group = name("slow-g");
    t.declareGroup(topic, group, false);
    List<String> ids = publish(t, topic, 5);
    TransportConsumer slow = consumer(t, topic, group, "slow", 64);
    List<InboundMessage> held = pollUntil(slow, 5, Duration.ofSeconds(5));
    assertThat(held).hasSize(5);

    RedisTransport other = transport("lease=900ms");
    TransportConsumer thief = consumer(other, topic, group, "thief", 64);
    List<InboundMessage> stolen = new ArrayList<>();
    long end = System.nanoTime() + Duration.ofMillis(3 * 900).toNanos();
    while (System.nanoTime() < end) {
      stolen.addAll(thief.poll(64, Duration.ofMillis(200)));
    }
    assertThat(stolen).as("entries taken from a live consumer refreshing its in-flight ones").isEmpty();

    held.get(0).release();
    List<InboundMessage> back = pollUntil(thief, 1, Duration.ofSeconds(5));
    assertThat(back).extracting(d -> d.message().id()).containsExactly(held.get(0).message().id());
    back.forEach(InboundMessage::ack);
    held.subList(1, 5).forEach(InboundMessage::ack);
    assertThat(t.lag(topic, group)).isZero();
    assertThat(ids).hasSize(5);
  }
}
