package io.unimq.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.spi.InboundMessage;
import io.unimq.spi.TransportConsumer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Trimming keeps whatever a declared group has not acked, and lag stays right after it. */
class RetentionTest extends RedisFixture {
  private static long length(RedisTransport t, String topic) {
    long n = 0;
    for (String s : Keys.partitions(topic, 1)) {
      n += t.redis.xlen(s);
    }
    return n;
  }

  @Test
  void trimmingNeverRemovesWhatAGroupHasNotAcked() throws Exception {
    RedisTransport t = transport("partitions=1");
    String topic = name("trim");
    String fast = name("trim-fast");
    String slow = name("trim-slow");
    t.declareGroup(topic, fast, false);
    t.declareGroup(topic, slow, false);
    publish(t, topic, 20);

    TransportConsumer f = consumer(t, topic, fast, "f", 64);
    List<InboundMessage> got = pollUntil(f, 20, Duration.ofSeconds(5));
    assertThat(got).hasSize(20);
    got.subList(0, 10).forEach(InboundMessage::ack);
    assertThat(t.trim(topic)).as("trimmed while the slow group has read nothing").isZero();

    TransportConsumer s = consumer(t, topic, slow, "s", 64);
    List<InboundMessage> slowGot = pollUntil(s, 20, Duration.ofSeconds(5));
    assertThat(slowGot).hasSize(20);
    slowGot.subList(0, 15).forEach(InboundMessage::ack);
    assertThat(t.trim(topic)).as("trimmed below the fast group's oldest pending entry").isEqualTo(10);
    assertThat(length(t, topic)).isEqualTo(10);
    assertThat(t.lag(topic, fast)).isEqualTo(10);
    assertThat(t.lag(topic, slow)).isEqualTo(5);

    got.subList(10, 20).forEach(InboundMessage::ack);
    slowGot.subList(15, 20).forEach(InboundMessage::ack);
    assertThat(t.trim(topic)).isEqualTo(10);
    assertThat(length(t, topic)).isZero();
    assertThat(t.lag(topic, fast)).isZero();
    assertThat(t.lag(topic, slow)).isZero();

    publish(t, topic, 7);
    assertThat(t.lag(topic, fast)).as("lag after trimming").isEqualTo(7);
    assertThat(t.lag(topic, slow)).as("lag after trimming").isEqualTo(7);
    assertThat(pollUntil(f, 7, Duration.ofSeconds(5))).hasSize(7);
  }

  @Test
  void aStreamWithoutGroupsIsEmptied() {
    RedisTransport t = transport("partitions=1");
    String topic = name("nogroup");
    t.declareTopic(topic);
    publish(t, topic, 5);
    assertThat(t.trim(topic)).isEqualTo(5);
  }
}
