package io.unimq.api;

/**
 * A consumer group of a topic as the broker reports it ({@link Admin#groups}). Immutable.
 *
 * @param name the group's name
 * @param members consumers connected to the group now (clients, or consumer instances where the
 *     broker counts those), or {@link #UNKNOWN} when the broker does not tell
 * @param lag messages published to the topic and not yet acked by the group, as {@link Admin#lag}
 */
public record GroupInfo(String name, int members, long lag) {
  /** {@link #members()} when the broker does not say how many consumers a group has. */
  public static final int UNKNOWN = -1;
}
