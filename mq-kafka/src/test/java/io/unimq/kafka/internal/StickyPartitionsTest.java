package io.unimq.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.internal.DefaultRecord;
import org.junit.jupiter.api.Test;

class StickyPartitionsTest {
  private static final long HOUR = Duration.ofHours(1).toNanos();

  @Test
  void recordSizesMatchKafkasOwnCount() {
    for (int body : new int[] {0, 1, 63, 64, 100, 1024, 20_000}) {
      for (int offsetDelta : new int[] {0, 63, 64, 500, 9000}) {
        Message.Builder b = Message.builder("t").body(new byte[body]).id(body % 2 == 0 ? null : "order-" + body); // 16-byte ids and text ones
        if (body % 3 != 0) { // with and without user headers
          b.header("trace", "x".repeat(body % 200));
        }
        Message m = b.build();
        List<Header> h = Records.headers(m, 0);
        int kafka = DefaultRecord.sizeInBytes(offsetDelta, 0, null, ByteBuffer.wrap(m.body()), h.toArray(new Header[0]));
        assertThat(Records.sizeInBatch(offsetDelta, m.body(), h)).as("body %d at %d", body, offsetDelta).isEqualTo(kafka);
      }
    }
  }

  @Test
  void movesOnJustAfterTheRecordThatOverflowsTheBatch() {
    StickyPartitions s = new StickyPartitions(4096, HOUR);
    List<Integer> partitions = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      partitions.add(s.place(8, 1000));
    }
    // 61 + 4 × 1000 fit in 4096; the fifth record closes the batch (and starts a new one there)
    assertThat(partitions).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2);
  }

  @Test
  void anExactlyFullBatchMovesOnToo() {
    StickyPartitions s = new StickyPartitions(61 + 2 * 500, HOUR);
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
    assertThat(s.offsetDelta()).isEqualTo(1);
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
