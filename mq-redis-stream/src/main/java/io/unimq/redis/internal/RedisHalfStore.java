package io.unimq.redis.internal;

import io.lettuce.core.ScriptOutputType;
import io.unimq.api.Message;
import io.unimq.spi.HalfMessageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Half messages of a producer group: a hash (id to envelope) and a sorted set (id by check time),
 * changed together by Lua scripts so that {@link #remove} is true for exactly one caller and
 * {@link #claimDue} hands each due half to one sweeper per check interval. Thread-safe.
 */
final class RedisHalfStore implements HalfMessageStore {
  private final RedisTransport transport;

  RedisHalfStore(RedisTransport transport) {
    this.transport = transport;
  }

  private static List<String> keys(String producerGroup) {
    return List.of(Keys.halfData(producerGroup), Keys.halfDue(producerGroup));
  }

  /**
   * Stores the half; with replica acknowledgements on, returns only once the replicas have it, because
   * the local transaction runs next and a half lost in a failover would lose a message it commits
   * through the checker.
   */
  @Override
  public void put(String producerGroup, Message half, Instant checkAt) {
    transport.replicatedScript(Scripts.HALF_PUT, ScriptOutputType.INTEGER, keys(producerGroup),
        List.of(half.id(), RedisCodec.encode(half), checkAt.toEpochMilli()));
  }

  @Override
  public boolean remove(String producerGroup, String messageId) {
    Long n = transport.script(Scripts.HALF_REMOVE, ScriptOutputType.INTEGER, keys(producerGroup), List.of(messageId));
    return n == 1;
  }

  @Override
  public List<Message> claimDue(String producerGroup, Instant now, Instant nextCheckAt, int max) {
    List<Object> blobs = transport.script(Scripts.HALF_CLAIM, ScriptOutputType.MULTI, keys(producerGroup),
        List.of(now.toEpochMilli(), nextCheckAt.toEpochMilli(), max));
    List<Message> out = new ArrayList<>(blobs.size());
    for (Object b : blobs) {
      out.add(RedisCodec.decode((byte[]) b));
    }
    return out;
  }
}
