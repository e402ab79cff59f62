package io.unimq.api.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Gathers items into batches of at most {@code maxSize}: a full batch goes to the sink on the
 * thread that added its last item; a batch that is not full goes to the sink through
 * {@code executor} {@code maxWait} after its first item arrived. Thread-safe.
 *
 * @param <T> what is gathered
 */
final class Batcher<T> {
  private final int maxSize;
  private final long maxWaitNanos;
  private final ScheduledExecutorService scheduler;
  private final Executor executor;
  private final Consumer<List<T>> sink;
  /** Guarded by this. */
  private List<T> pending = new ArrayList<>();
  /** Batches handed on so far; a timer flushes only the batch it was started for. Guarded by this. */
  private long handed;

  Batcher(int maxSize, Duration maxWait, ScheduledExecutorService scheduler, Executor executor, Consumer<List<T>> sink) {
    this.maxSize = maxSize;
    this.maxWaitNanos = maxWait.toNanos();
    this.scheduler = scheduler;
    this.executor = executor;
    this.sink = sink;
  }

  void add(T item) {
    List<T> full = null;
    long timerFor = -1;
    synchronized (this) {
      pending.add(item);
      if (pending.size() >= maxSize) {
        full = take();
      } else if (pending.size() == 1) {
        timerFor = handed;
      }
    }
    if (full != null) {
      sink.accept(full);
    } else if (timerFor >= 0) {
      long batch = timerFor;
      try {
        scheduler.schedule(() -> flush(batch), maxWaitNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException closing) {
        // the client is closing: the subscription releases what is pending
      }
    }
  }

  /** Hands on the pending batch if it is still batch number {@code batch}. */
  private void flush(long batch) {
    List<T> due;
    synchronized (this) {
      if (handed != batch || pending.isEmpty()) {
        return;
      }
      due = take();
    }
    executor.execute(() -> sink.accept(due));
  }

  /** Caller holds the lock. */
  private List<T> take() {
    List<T> out = pending;
    pending = new ArrayList<>(Math.min(maxSize, 64));
    handed++;
    return out;
  }
}
