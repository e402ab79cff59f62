package io.unimq.api;

/** Topology and visibility. Thread-safe; every call is idempotent. */
public interface Admin {
  /** Creates the topic if missing. Sending also does this, but a declaration checks access early. */
  void declareTopic(String topic);

  /**
   * Creates the group if missing. From the moment this returns, the group keeps every message
   * published to the topic, even with no consumer online; it never sees older ones.
   */
  default void declareGroup(String topic, String group) {
    declareGroup(topic, group, false);
  }

  /**
   * Same, laid out for ordered consumption when {@code ordered} (partitions, FIFO groups,
   * single-active consumers), so that the first ordered subscription finds it ready.
   */
  void declareGroup(String topic, String group, boolean ordered);

  /** Messages published to the topic and not yet acked by the group (waiting plus in flight). */
  long lag(String topic, String group);
}
