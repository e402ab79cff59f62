package io.unimq.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeyedLanesTest {
  @Test
  void sameKeyRunsInOrderOneAtATimeWhileKeysRunInParallel() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    KeyedLanes lanes = new KeyedLanes(pool);
    Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    AtomicInteger overlapSameKey = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(10 * 50);
    for (int i = 0; i < 50; i++) {
      for (int k = 0; k < 10; k++) {
        String key = "k" + k;
        int seq = i;
        lanes.submit(key, finished -> {
          if (active.computeIfAbsent(key, x -> new AtomicInteger()).incrementAndGet() > 1) {
            overlapSameKey.incrementAndGet();
          }
          maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
          seen.computeIfAbsent(key, x -> Collections.synchronizedList(new ArrayList<>())).add(seq);
          try {
            Thread.sleep(1);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          running.decrementAndGet();
          active.get(key).decrementAndGet();
          done.countDown();
          finished.run();
        });
      }
    }
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    pool.shutdown();
    assertThat(overlapSameKey.get()).isZero();
    assertThat(maxRunning.get()).isGreaterThan(1);
    seen.values().forEach(list -> assertThat(list).isSorted().hasSize(50));
  }
}
