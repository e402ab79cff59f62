package io.unimq.bench.drivers;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lettuce used well: XADD pipelined on one connection with manual flushing (at most
 * {@value #FLUSH_EVERY} commands buffered, flushed whenever the sender waits), a consumer reading
 * every partition stream with one blocking {@code XREADGROUP COUNT 256} and acking each batch with
 * one {@code XACK} per stream. Partitions are streams {@code bench:{topic}:<i>}, filled round
 * robin. Thread-safe.
 */
public final class RedisNative implements Driver {
  static final int FLUSH_EVERY = 64;
  private static final byte[] FIELD = "b".getBytes(StandardCharsets.UTF_8);

  private final RedisClient client;
  private final StatefulRedisConnection<byte[], byte[]> pub;
  private final RedisAsyncCommands<byte[], byte[]> async;
  private final StatefulRedisConnection<String, String> admin;
  private final Map<String, byte[][]> streams = new ConcurrentHashMap<>();
  private long roundRobin;
  private int buffered;

  public RedisNative(String host, int port) {
    client = RedisClient.create(RedisURI.builder().withHost(host).withPort(port).withTimeout(Duration.ofSeconds(10)).build());
    pub = client.connect(ByteArrayCodec.INSTANCE);
    pub.setAutoFlushCommands(false);
    async = pub.async();
    admin = client.connect();
  }

  @Override
  public String implementation() {
    return "native";
  }

  @Override
  public String settings() {
    return "lettuce: pipelined XADD (manual flush, <= " + FLUSH_EVERY + " buffered), XREADGROUP COUNT 256 BLOCK 100 over all streams, batch XACK";
  }

  private static byte[] key(String topic, int i) {
    return ("bench:{" + topic + "}:" + i).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void createTopic(String topic, int partitions) {
    byte[][] keys = new byte[partitions][];
    for (int i = 0; i < partitions; i++) {
      keys[i] = key(topic, i);
    }
    streams.put(topic, keys);
  }

  @Override
  public AutoCloseable subscribe(String topic, String group, int partitions, Sink sink) {
    byte[][] keys = streams.get(topic);
    byte[] g = group.getBytes(StandardCharsets.UTF_8);
    StatefulRedisConnection<byte[], byte[]> conn = client.connect(ByteArrayCodec.INSTANCE);
    RedisCommands<byte[], byte[]> sync = conn.sync();
    for (byte[] k : keys) {
      sync.xgroupCreate(XReadArgs.StreamOffset.from(k, "$"), g, XGroupCreateArgs.Builder.mkstream());
    }
    @SuppressWarnings("unchecked")
    XReadArgs.StreamOffset<byte[]>[] offsets = new XReadArgs.StreamOffset[keys.length];
    for (int i = 0; i < keys.length; i++) {
      offsets[i] = XReadArgs.StreamOffset.lastConsumed(keys[i]);
    }
    Consumer<byte[]> me = Consumer.from(g, "c1".getBytes(StandardCharsets.UTF_8));
    XReadArgs args = XReadArgs.Builder.block(100).count(256);
    Thread t = new Thread(() -> {
      RedisAsyncCommands<byte[], byte[]> acks = conn.async();
      while (!Thread.currentThread().isInterrupted()) {
        List<StreamMessage<byte[], byte[]>> batch;
        try {
          batch = sync.xreadgroup(me, args, offsets);
        } catch (RuntimeException e) {
          if (Thread.currentThread().isInterrupted() || !conn.isOpen()) {
            return;
          }
          continue;
        }
        Map<String, List<String>> ids = new java.util.HashMap<>();
        for (StreamMessage<byte[], byte[]> m : batch) {
          sink.received(m.getBody().values().iterator().next());
          ids.computeIfAbsent(new String(m.getStream(), StandardCharsets.UTF_8), k -> new ArrayList<>()).add(m.getId());
        }
        ids.forEach((stream, list) -> acks.xack(stream.getBytes(StandardCharsets.UTF_8), g, list.toArray(new String[0])));
      }
    }, "bench-redis-consumer-" + topic);
    t.setDaemon(true);
    t.start();
    return () -> {
      t.interrupt();
      t.join(2000);
      conn.close();
    };
  }

  @Override
  public void send(String topic, byte[] body, SendCallback callback) {
    byte[][] keys = streams.get(topic);
    byte[] key = keys[(int) (roundRobin++ % keys.length)];
    async.xadd(key, Map.of(FIELD, body)).whenComplete((id, e) -> callback.done(e));
    if (++buffered >= FLUSH_EVERY) {
      flush();
    }
  }

  @Override
  public void flush() {
    if (buffered > 0) {
      buffered = 0;
      pub.flushCommands();
    }
  }

  @Override
  public void delete(String topic, String group) {
    streams.remove(topic);
    RedisCommands<String, String> sync = admin.sync();
    List<String> keys = new ArrayList<>();
    for (String pattern : new String[] {"bench:{" + topic + "}:*", "unimq:{" + topic + "}:*"}) {
      ScanIterator.scan(sync, ScanArgs.Builder.matches(pattern).limit(1000)).forEachRemaining(keys::add);
    }
    if (!keys.isEmpty()) {
      sync.unlink(keys.toArray(new String[0])); // freed in the background: no pause for the shared server
    }
  }

  @Override
  public void close() {
    pub.close();
    admin.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
