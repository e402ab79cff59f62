package io.unimq.redis.internal;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XTrimArgs;
import io.unimq.api.Message;
import io.unimq.spi.DeadLetterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The dead letters of each group: the stream {@code unimq:{topic}:dlq:<group>}, a dead letter's
 * position (and cursor) its entry id. Read is XRANGE from the start (after a cursor: from just past
 * that id, so a cursor stays valid after its entry is removed), remove XDEL (of any entries, so
 * removing chosen dead letters leaves the others in place), republish an XADD to the group's retry
 * stream (so only this group sees it), purge XTRIM to nothing. Thread-safe.
 */
final class RedisDeadLetters implements DeadLetterStore {
  private final RedisTransport transport;

  RedisDeadLetters(RedisTransport transport) {
    this.transport = transport;
  }

  @Override
  public long count(String topic, String group) {
    try {
      return transport.redis.xlen(Keys.deadLetters(topic, group));
    } catch (RedisException e) {
      throw transport.wrap(e);
    }
  }

  @Override
  public List<DeadLetter> read(String topic, String group, int max) {
    if (max <= 0) {
      return new ArrayList<>();
    }
    return read(topic, Range.create("-", "+"), Keys.deadLetters(topic, group), max);
  }

  @Override
  public List<DeadLetter> readAfter(String topic, String group, String cursor, int max) {
    if (cursor == null || !cursor.matches("\\d{1,19}-\\d{1,19}")) {
      throw DeadLetterStore.badCursor(cursor, topic, group);
    }
    if (max <= 0) {
      return new ArrayList<>();
    }
    return read(topic, Range.from(Range.Boundary.excluding(cursor), Range.Boundary.including("+")), Keys.deadLetters(topic, group), max);
  }

  private List<DeadLetter> read(String topic, Range<String> range, String key, int max) {
    List<DeadLetter> out = new ArrayList<>();
    List<StreamMessage<String, byte[]>> page;
    try {
      page = transport.redis.xrange(key, range, Limit.from(max));
    } catch (RedisException e) {
      throw transport.wrap(e);
    }
    for (StreamMessage<String, byte[]> m : page) {
      out.add(new DeadLetter(RedisCodec.decode(m.getBody().get(RedisCodec.FIELD)), m.getId()));
    }
    return out;
  }

  @Override
  public void republish(String topic, String group, Message message) {
    try {
      transport.redis.xadd(Keys.retry(topic, group), Map.of(RedisCodec.FIELD, RedisCodec.encode(message)));
    } catch (RedisException e) {
      throw transport.wrap(e);
    }
  }

  @Override
  public void remove(String topic, String group, List<DeadLetter> letters) {
    if (letters.isEmpty()) {
      return;
    }
    String[] ids = new String[letters.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (String) letters.get(i).position();
    }
    try {
      transport.redis.xdel(Keys.deadLetters(topic, group), ids);
    } catch (RedisException e) {
      throw transport.wrap(e);
    }
  }

  @Override
  public void removeChosen(String topic, String group, List<DeadLetter> letters) {
    remove(topic, group, letters);
  }

  @Override
  public long purge(String topic, String group) {
    try {
      return transport.redis.xtrim(Keys.deadLetters(topic, group), XTrimArgs.Builder.maxlen(0));
    } catch (RedisException e) {
      throw transport.wrap(e);
    }
  }
}
