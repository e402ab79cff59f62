package io.unimq.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The commit rule on its own (no broker): the commit never passes an unsettled offset. */
class PartitionTrackerTest {
  private final PartitionTracker tracker = new PartitionTracker(new TopicPartition("t", 0));
  private final Map<Long, PartitionTracker.Slot> slots = new HashMap<>();

  private void fetched(long offset) {
    slots.put(offset, tracker.fetched(new PartitionTracker.Slot(offset)));
  }

  private void settle(long offset) {
    slots.get(offset).settle();
  }

  @Test
  void commitsTheFirstUnsettledOffsetWhateverOrderHandlersFinishIn() {
    List<Long> fetched = new ArrayList<>();
    for (long o = 10; o < 1010; o += (o % 7 == 0 ? 2 : 1)) { // gaps, as transaction markers leave
      fetched(o);
      fetched.add(o);
    }
    List<Long> order = new ArrayList<>(fetched);
    Collections.shuffle(order, new Random(42));
    List<Long> unsettled = new ArrayList<>(fetched);
    long committed = -1;
    for (long o : order) {
      settle(o);
      unsettled.remove(o);
      long expected = unsettled.isEmpty() ? fetched.get(fetched.size() - 1) + 1 : unsettled.get(0);
      assertThat(tracker.unconfirmed()).as("after settling %d", o).isEqualTo(expected > committed ? expected : -1L);
      committed = Math.max(committed, expected);
      tracker.committed(committed);
    }
    assertThat(tracker.window()).isEmpty();
    assertThat(tracker.drained()).isTrue();
  }

  @Test
  void aSlowHeadHoldsTheCommitWhileTheWindowGrowsBehindIt() {
    fetched(0);
    for (long o = 1; o < 5000; o++) {
      fetched(o);
      settle(o);
    }
    assertThat(tracker.committable()).isEqualTo(0);
    assertThat(tracker.drained()).isFalse();
    settle(0);
    assertThat(tracker.committable()).isEqualTo(5000);
    assertThat(tracker.window()).isEmpty();
  }

  @Test
  void aReleasedMessageCapsTheCommitAtItsOffset() {
    for (long o = 0; o < 10; o++) {
      fetched(o);
    }
    slots.get(4L).unsettle();
    for (long o = 0; o < 10; o++) {
      if (o != 4) {
        settle(o);
      }
    }
    assertThat(tracker.committable()).isEqualTo(4);
    assertThat(tracker.drained()).as("nothing below the released offset is in a handler").isTrue();
  }

  @Test
  void aRecordTakenBackBeforeItsHandlerCapsTheCommitLikeARelease() {
    for (long o = 0; o < 4; o++) {
      fetched(o);
    }
    settle(0);
    slots.get(1L).unsettle();
    settle(2);
    settle(3);
    assertThat(tracker.committable()).isEqualTo(1);
    settle(1); // a late report does not undo the release
    assertThat(tracker.committable()).isEqualTo(1);
    assertThat(tracker.window()).containsExactly(1, 2, 3);
  }

  @Test
  void aResumedPartitionCommitsWhereItResumedUntilMoreIsFetched() {
    tracker.resumeAt(500);
    assertThat(tracker.committable()).isEqualTo(500);
    tracker.requested(500);
    assertThat(tracker.committable()).as("asked once").isEqualTo(-1);
    tracker.commitFailed();
    assertThat(tracker.committable()).as("asked again after a failed commit").isEqualTo(500);
    fetched(500);
    fetched(501);
    assertThat(tracker.committable()).as("500 is fetched and not settled: the commit stays there").isEqualTo(500);
    settle(500);
    settle(501);
    assertThat(tracker.committable()).isEqualTo(502);
  }
}
