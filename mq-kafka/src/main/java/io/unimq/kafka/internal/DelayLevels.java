package io.unimq.kafka.internal;

/**
 * The layout of delay and retry topics: partition {@code i} holds records for a fixed hop of
 * {@code 100 ms * 2^(i-1)} (partition 0: less than 100 ms, held until exactly due). Records of a
 * partition are appended in time order and all wait the same hop, so the head of a partition is
 * always the first one due: the consumer pauses the partition until then, and a record still not
 * due after its hop moves on to the largest hop not past its due time. Never early; late by the
 * time a hop takes. Stateless.
 */
final class DelayLevels {
  /** Partitions of a delay or retry topic; the longest hop is 100 ms * 2^13 = about 13.7 minutes. */
  static final int LEVELS = 15;
  private static final long BASE_MILLIS = 100;

  private DelayLevels() {}

  static long hopMillis(int level) {
    return level == 0 ? 0 : BASE_MILLIS << (level - 1);
  }

  /** The partition for a record due in {@code remainingMillis}: the largest hop not past it. */
  static int levelFor(long remainingMillis) {
    int level = 0;
    while (level + 1 < LEVELS && hopMillis(level + 1) <= remainingMillis) {
      level++;
    }
    return level;
  }

  /** When a record appended at {@code appendMillis} to {@code level}, due at {@code due}, is released. */
  static long releaseAt(int level, long appendMillis, long due) {
    return level == 0 ? due : Math.min(due, appendMillis + hopMillis(level));
  }
}
