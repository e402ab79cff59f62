package io.unimq.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PacerTest {
  @Test
  void messagesAreDueAtEvenIntervalsFromTheStart() {
    Pacer p = new Pacer(1000, 5_000_000, () -> 0);
    assertThat(p.intendedNanos(0)).isEqualTo(5_000_000);
    assertThat(p.intendedNanos(1)).isEqualTo(6_000_000);
    assertThat(p.intendedNanos(1000)).isEqualTo(1_005_000_000L);
  }

  @Test
  void aSenderThatFellBehindGetsEveryMissedMessageAtOnceWithItsOriginalDueTime() {
    AtomicLong now = new AtomicLong(0);
    Pacer p = new Pacer(1000, 0, now::get);
    assertThat(p.awaitNext()).isEqualTo(0);
    now.set(10_000_000); // stalled for 10 ms
    assertThat(p.due(now.get())).isEqualTo(10);
    long[] intended = new long[10];
    for (int i = 0; i < 10; i++) {
      intended[i] = p.awaitNext(); // returns at once: all are overdue
    }
    assertThat(intended).containsExactly(1_000_000, 2_000_000, 3_000_000, 4_000_000, 5_000_000, 6_000_000, 7_000_000,
        8_000_000, 9_000_000, 10_000_000);
    assertThat(p.due(now.get())).isZero();
  }

  @Test
  void waitsUntilTheNextMessageIsDue() {
    Pacer p = Pacer.startingNow(200); // one per 5 ms
    p.awaitNext();
    long before = System.nanoTime();
    long intended = p.awaitNext();
    assertThat(System.nanoTime()).isGreaterThanOrEqualTo(intended);
    assertThat(intended - before).isLessThanOrEqualTo(5_000_000);
  }

  @Test
  void refusesANonPositiveRate() {
    assertThatThrownBy(() -> new Pacer(0, 0, () -> 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
