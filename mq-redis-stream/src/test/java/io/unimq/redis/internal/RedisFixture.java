package io.unimq.redis.internal;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.unimq.api.Message;
import io.unimq.api.MqClient;
import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.InboundMessage;
import io.unimq.spi.MqConfig;
import io.unimq.spi.TransportConsumer;
import io.unimq.testbrokers.TestBrokers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/** Transports against the test Redis, closed after each test. */
abstract class RedisFixture {
  private final List<AutoCloseable> opened = new ArrayList<>();

  static String redisUri() {
    return TestBrokers.redisUri();
  }

  static String name(String area) {
    return "it-" + area + "-" + String.format("%08x", ThreadLocalRandom.current().nextInt());
  }

  RedisTransport transport(String params) {
    RedisTransport t = new RedisTransport(RedisSettings.from(MqConfig.parse(redisUri() + (params.isEmpty() ? "" : "?" + params))));
    opened.add(0, t);
    return t;
  }

  /** A raw lettuce connection, for playing a foreign or crashing client. */
  StatefulRedisConnection<String, byte[]> raw() {
    RedisClient c = RedisClient.create(RedisSettings.from(MqConfig.parse(redisUri())).redisUri());
    StatefulRedisConnection<String, byte[]> conn = c.connect(RedisTransport.CODEC);
    opened.add(0, () -> c.shutdown(0, 1, TimeUnit.SECONDS));
    opened.add(0, conn);
    return conn;
  }

  TransportConsumer consumer(RedisTransport t, String topic, String group, String id, int prefetch) {
    TransportConsumer c = t.openConsumer(new ConsumerSpec(topic, group, false, prefetch, id, 1));
    opened.add(0, c);
    return c;
  }

  static List<String> publish(RedisTransport t, String topic, int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Message m = Message.builder(topic).body("m-" + i).build();
      t.publish(m).join();
      ids.add(m.id());
    }
    return ids;
  }

  /** Sends {@code n} messages to {@code topic} through {@code client}, pipelined, and waits for every confirm. */
  static void backlog(MqClient client, String topic, int n) {
    List<CompletableFuture<?>> sends = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sends.add(client.producer().sendAsync(Message.builder(topic).body("b-" + i).build()).toCompletableFuture());
    }
    CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).join();
  }

  /** Polls until {@code n} deliveries arrived or {@code atMost} passed. */
  static List<InboundMessage> pollUntil(TransportConsumer c, int n, Duration atMost) throws InterruptedException {
    List<InboundMessage> out = new ArrayList<>();
    long end = System.nanoTime() + atMost.toNanos();
    while (out.size() < n && System.nanoTime() < end) {
      out.addAll(c.poll(n - out.size(), Duration.ofMillis(200)));
    }
    return out;
  }

  @AfterEach
  void closeAll() {
    for (AutoCloseable c : opened) {
      try {
        c.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
    opened.clear();
  }
}
