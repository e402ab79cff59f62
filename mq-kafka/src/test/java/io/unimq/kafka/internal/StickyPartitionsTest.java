package io.unimq.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

class StickyPartitionsTest {
  private static final long HOUR = Duration.ofHours(1).toNanos();

  @Test
  void theEstimateCountsBodyHeadersAndFraming() {
    Message m = Message.builder("t").body(new byte[100]).header("trace", "x".repeat(10)).build();
    List<Header> h = KafkaCodec.headers(m, 0);
    // the 16-byte id under the empty key, and the user header
    int expected = 100 + KafkaCodec.RECORD_FRAMING + (KafkaCodec.RECORD_FRAMING + 16) + (KafkaCodec.RECORD_FRAMING + 5 + 10);
    assertThat(KafkaCodec.estimatedSize(m.body(), h)).isEqualTo(expected);
  }

  @Test
  void movesOnJustAfterTheRecordThatOverflowsTheBatch() {
    StickyPartitions s = new StickyPartitions(4096, HOUR);
    List<Integer> partitions = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      partitions.add(s.place(8, 1000));
    }
    // 4 × 1000 fit in 4096; the fifth record closes the batch (and starts a new one there)
    assertThat(partitions).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2);
  }

  @Test
  void anExactlyFullBatchMovesOnToo() {
    StickyPartitions s = new StickyPartitions(2 * 500, HOUR);
    assertThat(List.of(s.place(3, 500), s.place(3, 500), s.place(3, 500))).containsExactly(0, 0, 1);
  }

  @Test
  void movesOnAfterTheLingerAtLowRates() throws InterruptedException {
    StickyPartitions s = new StickyPartitions(1 << 20, Duration.ofMillis(1).toNanos());
    int first = s.place(4, 100);
    long end = System.nanoTime() + Duration.ofMillis(2).toNanos();
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
    assertThat(s.place(4, 100)).isEqualTo((first + 1) % 4);
  }

  @Test
  void aLongBatchPastItsLingerMovesOnWithinEightRecords() {
    StickyPartitions s = new StickyPartitions(1 << 20, Duration.ofMillis(1).toNanos());
    List<Integer> partitions = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      partitions.add(s.place(4, 100)); // a batch past its first 8 records (should it move on meanwhile, the rule holds the same)
    }
    long end = System.nanoTime() + Duration.ofMillis(2).toNanos();
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
    int moved = -1;
    for (int i = 0; i < 8 && moved < 0; i++) {
      if (s.place(4, 100) != partitions.get(19)) {
        moved = i;
      }
    }
    assertThat(moved).as("records past the linger before moving on").isBetween(0, 7);
  }
}
