package io.unimq.redis.internal;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.unimq.api.GroupInfo;
import io.unimq.spi.TopologyListing;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Topics and groups from the keys: a topic is a {@code unimq:{topic}:meta} key (found with
 * {@code SCAN}), its groups the set {@code unimq:{topic}:groups}. Members are known for ordered groups
 * only (their consumers' heartbeats in {@code unimq:{topic}:m:<group>}); otherwise
 * {@link GroupInfo#UNKNOWN}. Deleting a group destroys its consumer group on every partition
 * stream, and its retry stream, member and lease keys; its dead letters stay. Thread-safe.
 */
final class RedisListing implements TopologyListing {
  private static final String META = "unimq:{*}:meta";

  private final RedisTransport transport;

  RedisListing(RedisTransport transport) {
    this.transport = transport;
  }

  @Override
  public List<String> topics() {
    TreeSet<String> out = new TreeSet<>();
    try {
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<String> page = transport.redis.scan(cursor, ScanArgs.Builder.matches(META).limit(1000));
        for (String key : page.getKeys()) {
          out.add(key.substring("unimq:{".length(), key.length() - "}:meta".length()));
        }
        cursor = page;
      } while (!cursor.isFinished());
    } catch (RedisException e) {
      throw transport.wrap(e);
    }
    return List.copyOf(out);
  }

  @Override
  public List<GroupInfo> groups(String topic) {
    List<GroupInfo> out = new ArrayList<>();
    try {
      for (byte[] g : transport.redis.smembers(Keys.groups(topic))) {
        String group = Lua.string(g);
        String members = Keys.members(topic, group);
        int n = transport.redis.exists(members) == 0 ? GroupInfo.UNKNOWN
            : transport.redis.zcount(members, Range.create((double) System.currentTimeMillis(), Double.POSITIVE_INFINITY)).intValue();
        out.add(new GroupInfo(group, n, transport.lag(topic, group)));
      }
    } catch (RedisException e) {
      throw transport.wrap(e);
    }
    return out;
  }

  @Override
  public void deleteGroup(String topic, String group) {
    try {
      if (transport.redis.srem(Keys.groups(topic), group.getBytes(java.nio.charset.StandardCharsets.UTF_8)) == 0) {
        return; // not a group of the topic
      }
      int partitions = transport.partitions(topic);
      for (String stream : Keys.partitions(topic, partitions)) {
        if (transport.redis.exists(stream) > 0) {
          transport.redis.xgroupDestroy(stream, group);
        }
      }
      List<String> keys = new ArrayList<>(List.of(Keys.retry(topic, group), Keys.members(topic, group)));
      for (int i = 0; i < partitions; i++) {
        keys.add(Keys.lease(topic, group, i));
      }
      transport.redis.del(keys.toArray(new String[0]));
      transport.redis.hdel(Keys.scheduleCounts(topic), "r:" + group);
    } catch (RedisException e) {
      throw transport.wrap(e);
    }
  }
}
