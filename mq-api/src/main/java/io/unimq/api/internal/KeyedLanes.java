package io.unimq.api.internal;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Per-key serial execution over a shared pool: tasks with the same key run one after another in
 * submission order (the next starts only when the previous calls its completion callback, which
 * may happen later, after an asynchronous retry); different keys run in parallel. Thread-safe.
 */
final class KeyedLanes {
  /** A task that calls {@code done} exactly once when it has finished, possibly asynchronously. */
  interface Task {
    void run(Runnable done);
  }

  private final Executor pool;
  private final Map<String, ArrayDeque<Task>> lanes = new HashMap<>();

  KeyedLanes(Executor pool) {
    this.pool = pool;
  }

  void submit(String key, Task task) {
    submit(key, task, pool);
  }

  /**
   * Like {@link #submit(String, Task)}, but if the key is free the task starts through {@code via}
   * (continuations of the key still go to the pool); lets a caller collect a batch before waking
   * threads.
   */
  void submit(String key, Task task, Executor via) {
    synchronized (lanes) {
      ArrayDeque<Task> lane = lanes.get(key);
      if (lane != null) {
        lane.add(task);
        return;
      }
      lanes.put(key, new ArrayDeque<>());
    }
    start(key, task, via);
  }

  private void start(String key, Task task, Executor via) {
    via.execute(() -> task.run(() -> next(key)));
  }

  private void next(String key) {
    Task next;
    synchronized (lanes) {
      ArrayDeque<Task> lane = lanes.get(key);
      next = lane.poll();
      if (next == null) {
        lanes.remove(key);
        return;
      }
    }
    start(key, next, pool);
  }

  /** Removes every queued (not running) task, handing each to {@code sink}. */
  void drainQueued(Consumer<Task> sink) {
    synchronized (lanes) {
      for (ArrayDeque<Task> lane : lanes.values()) {
        Task t;
        while ((t = lane.poll()) != null) {
          sink.accept(t);
        }
      }
    }
  }
}
