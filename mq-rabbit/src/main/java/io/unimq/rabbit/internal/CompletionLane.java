package io.unimq.rabbit.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one after another, in submission order, on one thread borrowed from {@code pool}
 * (which is idle again whenever the lane is empty). A task that blocks longer than {@link #STUCK_NANOS}
 * (a caller's callback that waits for another send of this client, whose confirm is queued behind
 * it) lets the next submission start a second drainer, so completions never deadlock; order holds
 * whenever nothing blocks. Thread-safe.
 */
final class CompletionLane implements Executor {
  private static final Logger log = LoggerFactory.getLogger(CompletionLane.class);
  private static final long STUCK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final Executor pool;
  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger drainers = new AtomicInteger();
  private volatile long busySince;

  CompletionLane(Executor pool) {
    this.pool = pool;
  }

  @Override
  public void execute(Runnable task) {
    queue.add(task);
    int d = drainers.get();
    boolean start = d == 0 ? drainers.compareAndSet(0, 1) : stuck() && drainers.compareAndSet(d, d + 1);
    if (start) {
      pool.execute(this::drain);
    }
  }

  private boolean stuck() {
    long since = busySince;
    return since != 0 && System.nanoTime() - since > STUCK_NANOS;
  }

  private void drain() {
    while (true) {
      Runnable task = queue.poll();
      if (task == null) {
        drainers.decrementAndGet();
        if (queue.isEmpty() || !drainers.compareAndSet(0, 1)) {
          return;
        }
        continue;
      }
      busySince = System.nanoTime();
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("a completion task failed: {}", e.toString());
      } finally {
        busySince = 0;
      }
    }
  }
}
