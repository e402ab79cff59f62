package io.unimq.redis.internal;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Declares and maintains what a topic is in Redis: its partition count (fixed by the first client
 * that uses the topic, in {@code unimq:{topic}:meta}; cached), its groups (a consumer group created
 * on every partition stream and the group's retry stream, in one script) and the trimming of its
 * streams below what its groups still need. Thread-safe.
 */
final class RedisTopology {
  private final RedisTransport transport;
  private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();

  RedisTopology(RedisTransport transport) {
    this.transport = transport;
  }

  /** The topic's partition count, fixed by the first client that used the topic. */
  int partitions(String topic) {
    return partitionCounts.computeIfAbsent(topic, t -> {
      Long n = transport.script(Scripts.PARTITIONS, ScriptOutputType.INTEGER, List.of(Keys.meta(t)),
          List.of(transport.settings.partitions()));
      return n.intValue();
    });
  }

  /** {@code XGROUP CREATE ... $ MKSTREAM} on every partition and the retry stream: the group sees what is published after it returns. */
  void declareGroup(String topic, String group) {
    List<String> keys = new ArrayList<>();
    keys.add(Keys.groups(topic));
    keys.addAll(Keys.partitions(topic, partitions(topic)));
    keys.add(Keys.retry(topic, group));
    transport.script(Scripts.DECLARE_GROUP, ScriptOutputType.INTEGER, keys, List.of(group));
  }

  /** Trims every stream of {@code topic} below what its groups still need; returns the entries removed. */
  long trim(String topic) {
    List<String> streams = new ArrayList<>(Keys.partitions(topic, partitions(topic)));
    List<byte[]> groups;
    try {
      groups = new ArrayList<>(transport.redis.smembers(Keys.groups(topic)));
    } catch (RedisException e) {
      throw transport.wrap(e);
    }
    for (byte[] g : groups) {
      streams.add(Keys.retry(topic, Lua.string(g)));
    }
    transport.flushAcks(topic, null); // what this process acked counts before the group's oldest pending entry is read
    long removed = 0;
    long consumerTtl = Math.max(transport.settings.lease().toMillis() * 10, Duration.ofHours(1).toMillis());
    for (String s : streams) {
      Long n = transport.script(Scripts.TRIM, ScriptOutputType.INTEGER, List.of(s), List.of(consumerTtl));
      removed += n;
    }
    return removed;
  }
}
