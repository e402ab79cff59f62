package io.unimq.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InFlightTableTest {
  @Test
  void entriesTakeFreeSlotsInTurnAndLeaveThemOnRemoval() {
    InFlightTable<Object> t = new InFlightTable<>(4);
    Object a = new Object();
    Object b = new Object();
    assertThat(t.add(a)).isEqualTo(0);
    assertThat(t.add(b)).isEqualTo(1);
    t.remove(a, 0);
    assertThat(t.size()).isEqualTo(1);
    Object c = new Object();
    assertThat(t.add(c)).isEqualTo(2); // the search goes on from where it ended
    assertThat(t.add(new Object())).isEqualTo(3);
    assertThat(t.add(new Object())).isEqualTo(0); // wraps around to the freed slot
  }

  @Test
  void entriesBeyondTheSlotsGoToTheOverflowAndAreNeverLost() {
    InFlightTable<Object> t = new InFlightTable<>(2);
    Object a = new Object();
    Object b = new Object();
    Object c = new Object();
    t.add(a);
    t.add(b);
    assertThat(t.add(c)).isEqualTo(-1);
    List<Object> seen = new ArrayList<>();
    t.forEach(seen::add);
    assertThat(seen).containsExactlyInAnyOrder(a, b, c);
    t.remove(c, -1);
    t.remove(a, 0);
    seen.clear();
    t.forEach(seen::add);
    assertThat(seen).containsExactly(b);
  }

  @Test
  void removalsFromOtherThreadsAreSeenByTheAdder() throws Exception {
    InFlightTable<Object> t = new InFlightTable<>(64);
    List<Object> entries = new ArrayList<>();
    int[] slots = new int[32];
    for (int i = 0; i < 32; i++) {
      Object e = new Object();
      entries.add(e);
      slots[i] = t.add(e);
    }
    Thread remover = new Thread(() -> {
      for (int i = 0; i < 32; i++) {
        t.remove(entries.get(i), slots[i]);
      }
    });
    remover.start();
    remover.join(10_000);
    assertThat(t.size()).isZero();
    for (int i = 0; i < 64; i++) {
      assertThat(t.add(new Object())).isNotNegative();
    }
  }
}
