package io.unimq.rocketmq.internal;

import io.unimq.api.Message;
import java.time.Instant;

/**
 * The four RocketMQ topics behind one unimq topic, one per native message type (a RocketMQ 5 topic
 * accepts one type only). Immutable.
 */
enum PhysicalTopic {
  NORMAL("", "NORMAL"),
  FIFO("_FIFO", "FIFO"),
  DELAY("_DELAY", "DELAY"),
  TX("_TX", "TRANSACTION");

  /**
   * Tag on every message unimq publishes. Consumers take every tag (a native producer's message
   * with any tag or none is delivered) except another group's replay tag.
   */
  static final String TAG = "unimq";

  private final String suffix;
  private final String messageType;

  PhysicalTopic(String suffix, String messageType) {
    this.suffix = suffix;
    this.messageType = messageType;
  }

  String of(String logicalTopic) {
    return logicalTopic + suffix;
  }

  /** The value of the topic attribute {@code message.type}. */
  String messageType() {
    return messageType;
  }

  /** Where a plain send of {@code m} goes: future deliverAt wins, then key, then normal. */
  static PhysicalTopic forMessage(Message m) {
    Instant at = m.deliverAt();
    if (at != null && at.isAfter(Instant.now())) {
      return DELAY;
    }
    return m.key() != null ? FIFO : NORMAL;
  }

  /** The native dead-letter topic of a consumer group, made readable by unimq. */
  static String deadLetterTopic(String group) {
    return "%DLQ%" + group;
  }

  /** The tag of messages replayed from the dead letters to {@code group} only. */
  static String replayTag(String group) {
    return REPLAY_PREFIX + group;
  }

  private static final String REPLAY_PREFIX = "unimq-replay-";

  /** True when {@code tag} marks a replay to a group other than {@code group}. */
  static boolean isReplayForAnother(String tag, String group) {
    return tag != null && tag.startsWith(REPLAY_PREFIX) && !tag.equals(replayTag(group));
  }
}
