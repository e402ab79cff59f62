package io.unimq.redis.internal;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XTrimArgs;
import io.unimq.api.Message;
import io.unimq.spi.DeadLetterStore;
import io.unimq.spi.Headers;
import java.util.ArrayList;
import java.util.List;

/**
 * A group's dead letters: the stream {@code unimq:{topic}:dlq:<group>}. Replay moves each entry,
 * stripped of its dead-letter headers, into the group's retry stream (so only this group sees it)
 * with {@link Scripts#REPLAY}, which XDELs before it XADDs: concurrent replays move each entry
 * once. Thread-safe.
 */
final class RedisDeadLetters implements DeadLetterStore {
  private static final int PAGE = 100;
  private final RedisTransport transport;
  private final String stream;
  private final String retryStream;

  RedisDeadLetters(RedisTransport transport, String topic, String group) {
    this.transport = transport;
    this.stream = Keys.deadLetters(topic, group);
    this.retryStream = Keys.retry(topic, group);
  }

  @Override
  public long count() {
    try {
      return transport.redis.xlen(stream);
    } catch (RedisException e) {
      throw transport.wrap(e);
    }
  }

  private List<StreamMessage<String, byte[]>> page(int max) {
    try {
      return transport.redis.xrange(stream, Range.create("-", "+"), Limit.from(max));
    } catch (RedisException e) {
      throw transport.wrap(e);
    }
  }

  @Override
  public List<Message> peek(int max) {
    List<Message> out = new ArrayList<>();
    if (max <= 0) {
      return out;
    }
    for (StreamMessage<String, byte[]> m : page(max)) {
      out.add(Envelope.decode(m.getBody().get(Envelope.FIELD)));
    }
    return out;
  }

  @Override
  public long replay() {
    long replayed = 0;
    while (true) {
      List<StreamMessage<String, byte[]>> page = page(PAGE);
      if (page.isEmpty()) {
        return replayed;
      }
      List<Object> args = new ArrayList<>();
      for (StreamMessage<String, byte[]> m : page) {
        args.add(m.getId());
        args.add(Envelope.encode(Headers.stripForReplay(Envelope.decode(m.getBody().get(Envelope.FIELD)))));
      }
      Long n = transport.script(Scripts.REPLAY, ScriptOutputType.INTEGER, List.of(stream, retryStream), args);
      replayed += n;
    }
  }

  @Override
  public long purge() {
    try {
      return transport.redis.xtrim(stream, XTrimArgs.Builder.maxlen(0));
    } catch (RedisException e) {
      throw transport.wrap(e);
    }
  }
}
