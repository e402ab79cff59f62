package io.unimq.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
  /** A source of integers; each becomes a task that runs {@link #handler} and then settles it. */
  private final class Numbers implements WorkerPool.Source<Integer> {
    final LinkedBlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
    final AtomicInteger maxAsked = new AtomicInteger(Integer.MAX_VALUE);
    final AtomicInteger polls = new AtomicInteger();
    final AtomicInteger idleCalls = new AtomicInteger();
    volatile RuntimeException failNext;
    volatile boolean settleAfterHandling = true;

    @Override
    public List<Integer> poll(int max, Duration wait) throws InterruptedException {
      polls.incrementAndGet();
      maxAsked.accumulateAndGet(max, Math::min);
      RuntimeException f = failNext;
      if (f != null) {
        failNext = null;
        throw f;
      }
      List<Integer> out = new ArrayList<>();
      Integer first = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
      if (first != null) {
        out.add(first);
        queue.drainTo(out, max - 1);
      }
      return out;
    }

    @Override
    public void dispatch(Integer n, Executor startNow) {
      startNow.execute(() -> {
        pool.handlerStarted();
        try {
          handler.accept(n);
          if (settleAfterHandling) {
            pool.settled();
          }
        } finally {
          pool.handlerEnded();
        }
      });
    }

    @Override
    public void idle() {
      idleCalls.incrementAndGet();
    }

    @Override
    public void wakeup() {}
  }

  private final Numbers source = new Numbers();
  private volatile java.util.function.IntConsumer handler = n -> {};
  private WorkerPool<Integer> pool;

  @AfterEach
  void stop() {
    if (pool != null) {
      pool.stopFetching();
      pool.awaitDrained(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
      pool.interruptWorkers();
    }
  }

  private void start(int threads, int prefetch) {
    pool = new WorkerPool<>("test", threads, prefetch, source);
    pool.start();
  }

  @Test
  void everyFetchedMessageRunsOnAWorkerThread() {
    Set<Integer> handled = ConcurrentHashMap.newKeySet();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    handler = n -> {
      handled.add(n);
      threads.add(Thread.currentThread().getName());
    };
    start(4, 16);
    for (int i = 0; i < 1000; i++) {
      source.queue.add(i);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 1000);
    assertThat(threads).allMatch(t -> t.startsWith("test-worker-"));
    await().atMost(Duration.ofSeconds(5)).until(() -> pool.inFlight() == 0);
  }

  @Test
  void neverMoreThanThePrefetchIsInFlight() {
    source.settleAfterHandling = false; // nothing settles: the pool must stop asking
    start(2, 8);
    for (int i = 0; i < 100; i++) {
      source.queue.add(i);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> pool.inFlight() == 8);
    int polls = source.polls.get();
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
        .until(() -> pool.inFlight() == 8 && source.polls.get() == polls && source.queue.size() == 92);
    await().atMost(Duration.ofSeconds(5)).until(() -> source.idleCalls.get() > 0); // at capacity: housekeeping
    for (int i = 0; i < 8; i++) {
      pool.settled();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> pool.inFlight() == 8 && source.queue.size() == 84);
  }

  @Test
  void tasksQueuedFromOutsideRunOnTheWorkers() {
    start(2, 4);
    CountDownLatch ran = new CountDownLatch(1);
    AtomicBoolean onWorker = new AtomicBoolean();
    pool.execute(() -> {
      onWorker.set(pool.isWorker());
      ran.countDown();
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> ran.getCount() == 0);
    assertThat(onWorker).isTrue();
    assertThat(pool.isWorker()).isFalse();
  }

  @Test
  void aFailedPollIsRetriedAndTheWorkersLive() {
    Set<Integer> handled = ConcurrentHashMap.newKeySet();
    handler = handled::add;
    source.failNext = new IllegalStateException("broker away");
    start(2, 4);
    source.queue.add(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains(1));
  }

  @Test
  void drainingWaitsForRunningHandlersAndFetchesNothingMore() {
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    handler = n -> {
      inHandler.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      finished.set(true);
    };
    start(2, 4);
    source.queue.add(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> inHandler.getCount() == 0);
    pool.stopFetching();
    assertThat(pool.stopping()).isTrue();
    int polls = source.polls.get();
    source.queue.add(2);
    assertThat(pool.awaitDrained(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200))).isFalse();
    release.countDown();
    assertThat(pool.awaitDrained(System.nanoTime() + TimeUnit.SECONDS.toNanos(5))).isTrue();
    assertThat(finished).isTrue();
    assertThat(source.polls.get()).isEqualTo(polls);
    assertThat(source.queue).containsExactly(2);
  }

  @Test
  void workersStuckPastTheDrainAreInterrupted() {
    CountDownLatch inHandler = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    handler = n -> {
      inHandler.countDown();
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
    };
    start(1, 1);
    source.queue.add(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> inHandler.getCount() == 0);
    pool.stopFetching();
    assertThat(pool.awaitDrained(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100))).isFalse();
    pool.interruptWorkers();
    await().atMost(Duration.ofSeconds(5)).untilTrue(interrupted);
  }
}
