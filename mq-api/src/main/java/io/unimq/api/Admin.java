package io.unimq.api;

import java.util.List;

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

  /**
   * The topics on the broker that unimq made (declared or sent to), sorted by name; not the
   * adapter's internal retry, delay and dead-letter destinations. Reads the broker each call.
   *
   * @throws MqUnsupportedException the adapter does not declare {@link Capability#LISTING}
   */
  List<String> topics();

  /**
   * The groups declared on {@code topic}, sorted by name, each with its connected consumers (or
   * {@link GroupInfo#UNKNOWN} where the broker does not tell) and its lag; empty for a topic that
   * does not exist.
   *
   * @throws MqUnsupportedException the adapter does not declare {@link Capability#LISTING}
   */
  List<GroupInfo> groups(String topic);

  /**
   * Deletes the group: its position and the messages waiting for it. From then on it receives
   * nothing and {@link #groups} no longer lists it (declaring or subscribing creates it anew, at the
   * end of the topic). Its dead letters stay ({@link MqClient#deadLetters} purges them). Deleting a
   * group that does not exist does nothing.
   *
   * @throws MqConfigurationException this client has an open subscription to the group: close it first
   * @throws MqUnsupportedException the adapter does not declare {@link Capability#LISTING}
   */
  void deleteGroup(String topic, String group);
}
