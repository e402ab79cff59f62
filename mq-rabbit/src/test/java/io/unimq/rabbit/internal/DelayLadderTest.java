package io.unimq.rabbit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ladder's arithmetic: the levels a message visits add up to exactly its delay. */
class DelayLadderTest {
  private static long walk(Map<String, Object> headers) {
    long total = 0;
    for (int k = 0; k < DelayLadder.LEVELS; k++) {
      if ("1".equals(headers.get(DelayLadder.bit(k)))) {
        total += 1L << k;
      }
    }
    return total;
  }

  @Test
  void theLevelsOfADelayAddUpToIt() {
    for (long d : new long[] {1, 2, 3, 1000, 2000, 30_001, 86_400_000L, DelayLadder.MAX_DELAY_MILLIS}) {
      Map<String, Object> h = DelayLadder.headers(d, "t");
      assertThat(walk(h)).as("delay %d ms", d).isEqualTo(d);
      assertThat(h).containsEntry(DelayLadder.TARGET, "t");
    }
  }

  @Test
  void aDayAndMoreFitsTheLadder() {
    assertThat(Duration.ofMillis(DelayLadder.MAX_DELAY_MILLIS)).isGreaterThan(Duration.ofHours(74));
    assertThat(Long.bitCount(Duration.ofHours(24).toMillis())).as("hops for 24 h").isLessThanOrEqualTo(DelayLadder.LEVELS);
  }

  @Test
  void delaysOutsideTheLadderAreRefused() {
    assertThatThrownBy(() -> DelayLadder.headers(0, "t")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DelayLadder.headers(DelayLadder.MAX_DELAY_MILLIS + 1, "t")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void internalNamesCannotCollideWithTopicsOrGroups() {
    assertThat(DelayLadder.CLASSIC.level(10)).isEqualTo("unimq.$delay.1024").contains("$");
    assertThat(RabbitNames.halfQueue("pg")).isEqualTo("unimq.$half.pg");
    assertThat(RabbitNames.groupQueue("orders", "billing")).isEqualTo("unimq.orders.billing");
    assertThat(RabbitNames.partitionQueue("orders", "billing", 2)).isEqualTo("unimq.orders.billing.p2");
    assertThat(RabbitNames.deadLetterQueue("orders", "billing")).isEqualTo("unimq.orders.billing.dlq");
  }
}
