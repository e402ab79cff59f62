package io.unimq.redis.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Redis key names. Every key of a topic carries the hash tag {@code {topic}} and every half-message
 * key of a producer group {@code {producerGroup}}, so the Lua scripts touching several of them stay
 * on one slot: on a Redis Cluster a topic lives on the master serving its slot, and topics spread
 * over the masters. Names are already validated ({@code [A-Za-z0-9_-]}), so ':' cannot collide.
 * Stateless.
 */
final class Keys {
  static final String WAKE_CHANNEL = "unimq:delay-wake";

  private Keys() {}

  private static String topic(String topic) {
    return "unimq:{" + topic + "}:";
  }

  static String meta(String topic) {
    return topic(topic) + "meta";
  }

  static String groups(String topic) {
    return topic(topic) + "groups";
  }

  static String partition(String topic, int i) {
    return topic(topic) + "p:" + i;
  }

  static List<String> partitions(String topic, int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(partition(topic, i));
    }
    return out;
  }

  static String retry(String topic, String group) {
    return topic(topic) + "r:" + group;
  }

  static String deadLetters(String topic, String group) {
    return topic(topic) + "dlq:" + group;
  }

  /** Sorted set of scheduled entries (delays and retries), member {@code counter|target|unique}. */
  static String schedule(String topic) {
    return topic(topic) + "sched";
  }

  static String scheduleData(String topic) {
    return topic(topic) + "sched:data";
  }

  /** Hash of scheduled counts: field {@code *} for delayed publishes, {@code r:<group>} for retries. */
  static String scheduleCounts(String topic) {
    return topic(topic) + "sched:n";
  }

  static String members(String topic, String group) {
    return topic(topic) + "m:" + group;
  }

  static String lease(String topic, String group, int partition) {
    return topic(topic) + "lease:" + group + ":" + partition;
  }

  static String halfData(String producerGroup) {
    return "unimq:tx:{" + producerGroup + "}:h";
  }

  static String halfDue(String producerGroup) {
    return "unimq:tx:{" + producerGroup + "}:z";
  }

  /** The partition of a key: CRC32 of its UTF-8 bytes modulo the partition count (stable across clients). */
  static int partitionOf(String key, int partitions) {
    CRC32 crc = new CRC32();
    crc.update(key.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % partitions);
  }
}
