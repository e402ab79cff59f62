package io.unimq.api.internal;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Carries out the settlements of failed deliveries of one subscription (scheduling a retry, moving
 * to the dead letters) on threads of its own, so that a handler thread is free for the next message
 * as soon as its handler has thrown, instead of waiting for the broker round trips of the
 * settlement. A message being settled keeps its place in the prefetch until the settlement is done.
 * Threads start on demand and end after a second idle. Thread-safe.
 */
final class Settler {
  private static final int MAX_THREADS = 4;

  private final ThreadPoolExecutor executor;

  /** Threads named {@code name-settler-n}. */
  Settler(String name) {
    AtomicInteger n = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(MAX_THREADS, MAX_THREADS, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, name + "-settler-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    executor.allowCoreThreadTimeOut(true);
  }

  /** Runs {@code settlement} on a settler thread, or on the caller's when the settler is closed. */
  void execute(Runnable settlement) {
    try {
      executor.execute(settlement);
    } catch (RejectedExecutionException closed) {
      settlement.run();
    }
  }

  /** Accepts no more settlements (later ones run on the caller's thread) and waits until those accepted are done, at most until {@code deadline} ({@link System#nanoTime()}). */
  boolean close(long deadline) {
    executor.shutdown();
    try {
      return executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
