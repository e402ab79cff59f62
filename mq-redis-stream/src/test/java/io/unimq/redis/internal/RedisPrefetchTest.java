package io.unimq.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.SubscriptionOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code prefetch} holds at the broker (the group's pending entries, XPENDING, never exceed it for
 * one member), and a run without faults handles every message once, even when the handlers are far
 * slower than the reads and the lease is short.
 */
class RedisPrefetchTest extends RedisFixture {
  private static final int MESSAGES = 2000;
  private static final int PREFETCH = 128;
  /** KEYS: streams; ARGV: group. The group's pending entries over all of them. */
  private static final String PENDING = """
      local n = 0
      for _, k in ipairs(KEYS) do
        if redis.call('EXISTS', k) == 1 then
          n = n + redis.call('XPENDING', k, ARGV[1])[1]
        end
      end
      return n
      """;

  @Test
  void pendingEntriesStayWithinThePrefetchAndNothingIsHandledTwice() throws Exception {
    String topic = name("prefetch");
    String group = name("prefetch-g");
    // a short lease: an entry read but not handled within 1 s is reclaimed unless refreshed
    MqClient client = Mq.connect(redisUri() + "?lease=1s&partitions=4");
    StatefulRedisConnection<String, byte[]> raw = raw();
    try {
      client.admin().declareGroup(topic, group);
      backlog(client, topic, MESSAGES);

      Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
      AtomicInteger total = new AtomicInteger();
      client.subscribe(topic, group, SubscriptionOptions.builder().concurrency(2).prefetch(PREFETCH).build(), d -> {
        handled.computeIfAbsent(d.message().id(), k -> new AtomicInteger()).incrementAndGet();
        total.incrementAndGet();
        Thread.sleep(5);
      });
      List<String> streams = new ArrayList<>(Keys.partitions(topic, 4));
      streams.add(Keys.retry(topic, group));
      long maxPending = 0;
      long end = System.nanoTime() + Duration.ofSeconds(50).toNanos();
      while (handled.size() < MESSAGES && System.nanoTime() < end) {
        // one script, so all streams are counted at one instant (stream by stream, an XACK on one
        // and the read it makes room for on another could both fall between two samples)
        Long pending = raw.sync().eval(PENDING, ScriptOutputType.INTEGER, streams.toArray(new String[0]),
            group.getBytes(StandardCharsets.UTF_8));
        maxPending = Math.max(maxPending, pending);
        Thread.sleep(20);
      }
      assertThat(handled).as("distinct messages handled").hasSize(MESSAGES);
      // the last acks may trail the handlers: wait for the group to settle, then for late duplicates
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.admin().lag(topic, group) == 0);
      Thread.sleep(1500);
      long twice = handled.values().stream().filter(n -> n.get() > 1).count();
      System.out.printf("max pending %d (prefetch %d), %d handled twice, %d handler calls%n", maxPending, PREFETCH, twice,
          total.get());
      assertThat(maxPending).as("entries pending at the broker (XPENDING), sampled during the run").isLessThanOrEqualTo(PREFETCH);
      assertThat(twice).as("messages handled more than once without any fault").isZero();
    } finally {
      client.close(Duration.ofSeconds(5));
    }
  }
}
