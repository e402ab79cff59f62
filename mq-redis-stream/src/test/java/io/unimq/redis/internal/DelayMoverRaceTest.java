package io.unimq.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.unimq.api.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Two movers on two connections race over one schedule: each due entry is XADDed exactly once. */
class DelayMoverRaceTest extends RedisFixture {
  @Test
  void twoRacingMoversAddEachDueEntryExactlyOnce() throws Exception {
    RedisTransport a = transport("");
    RedisTransport b = transport("");
    String topic = name("race");
    String stream = Keys.partition(topic, 0);
    int n = 2000;
    long due = System.currentTimeMillis() + 300;
    // scheduled through a raw connection, so that no transport's own mover tracks this topic
    var raw = raw().async();
    List<CompletableFuture<Long>> scheduled = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < n; i++) {
      Message m = Message.builder(topic).body("d-" + i).build();
      ids.add(m.id());
      scheduled.add(Scripts.SCHEDULE.runAsync(raw, ScriptOutputType.INTEGER,
          List.of(Keys.schedule(topic), Keys.scheduleData(topic), Keys.scheduleCounts(topic)),
          List.of(due + (i % 50), "*|" + stream + "|" + m.id(), RedisCodec.encode(m), "*", topic, "abs")));
    }
    scheduled.forEach(CompletableFuture::join);

    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<Long>> moved = new ArrayList<>();
    for (RedisTransport t : List.of(a, b)) {
      moved.add(pool.submit(() -> {
        start.await();
        long total = 0;
        while (true) {
          List<Object> r = t.script(Scripts.MOVE_DUE, ScriptOutputType.MULTI,
              List.of(Keys.schedule(topic), Keys.scheduleData(topic), Keys.scheduleCounts(topic)), List.of(7));
          total += (Long) r.get(0);
          if ((Long) r.get(1) < 0 && (Long) r.get(0) == 0) {
            return total;
          }
        }
      }));
    }
    start.countDown();
    long movedA = moved.get(0).get();
    long movedB = moved.get(1).get();
    pool.shutdown();

    List<StreamMessage<String, byte[]>> entries = a.redis.xrange(stream, Range.create("-", "+"));
    Set<String> seen = new HashSet<>();
    for (StreamMessage<String, byte[]> e : entries) {
      seen.add(RedisCodec.decode(e.getBody().get(RedisCodec.FIELD), topic).id());
    }
    assertThat(movedA + movedB).isEqualTo(n);
    assertThat(movedA).as("entries moved by mover A").isPositive();
    assertThat(movedB).as("entries moved by mover B").isPositive();
    assertThat(entries).as("entries XADDed").hasSize(n);
    assertThat(seen).isEqualTo(ids);
    assertThat(a.redis.zcard(Keys.schedule(topic))).isZero();
    assertThat(a.redis.hlen(Keys.scheduleData(topic))).isZero();
    assertThat(new String(a.redis.hget(Keys.scheduleCounts(topic), "*"))).isEqualTo("0");
  }
}
