package io.unimq.spi;

import io.unimq.api.GroupInfo;
import java.util.List;

/**
 * Listing and removal of what unimq made on the broker, behind {@link io.unimq.api.Capability#LISTING}.
 * The engine checks names before calling it. Thread-safe.
 */
public interface TopologyListing {
  /**
   * The topics unimq made on the broker (declared, or sent to), by name; not the adapter's own
   * internal ones (retry, delay and dead-letter destinations).
   */
  List<String> topics();

  /**
   * The groups declared on {@code topic}, each with its connected consumers (or
   * {@link GroupInfo#UNKNOWN}) and its lag; empty for a topic that does not exist.
   */
  List<GroupInfo> groups(String topic);

  /**
   * Removes the group: its position and the messages waiting for it; afterwards it receives nothing
   * and no longer appears in {@link #groups}. Its dead letters are left alone. A group that does not
   * exist is no error.
   */
  void deleteGroup(String topic, String group);
}
