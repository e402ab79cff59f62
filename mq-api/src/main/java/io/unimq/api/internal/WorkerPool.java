package io.unimq.api.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription's threads, in a leader/follower pool, and its prefetch budget. One thread at a
 * time (the leader) polls the {@link Source}; when the poll returns, it queues the tasks the batch
 * made, wakes idle threads for the rest of the batch and for the next poll, and runs the first task
 * itself. A message is therefore handled on the thread that fetched it whenever the others are busy
 * or idle, instead of crossing a poll thread and a handler pool (each hand-off parks and wakes a
 * thread, which on a small machine costs more than a short handler).
 *
 * <p>At most {@code prefetch} messages are in flight: counted from the poll that fetched them until
 * {@link #settled()}. Thread-safe.
 *
 * @param <M> what the source fetches
 */
final class WorkerPool<M> {
  /** Where messages come from. Called by one thread at a time (the leader), except {@link #wakeup}. */
  interface Source<M> {
    /** Fetches at most {@code max} messages, waiting up to {@code wait} for the first. */
    List<M> poll(int max, Duration wait) throws InterruptedException;

    /**
     * Turns a fetched message into work: a task to start with this batch goes to {@code startNow},
     * one that must wait (its key is busy) goes elsewhere and reaches the pool through
     * {@link #execute} later. Called after the message is counted in flight.
     */
    void dispatch(M message, Executor startNow);

    /** Lets the transport do its housekeeping while the pool is at capacity. */
    void idle();

    /** Cuts a running poll short; any thread. */
    void wakeup();
  }

  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
  static final Duration POLL_WAIT = Duration.ofMillis(200);
  /** Below this, a leader keeps the poll slot to itself while it runs its task. */
  static final long FAST_TASK_NANOS = 50_000;
  /**
   * With fast handlers, the work queued behind the leader's task (queued tasks times their recent
   * average) that justifies waking one more thread: the poll slot goes to another thread, and one
   * more helper is woken, per this much queued work. Less than this, the leader runs it alone and is
   * back at the transport sooner than a woken thread would be (a wake-up, and threads contending for
   * the queue, cost more than short handlers).
   */
  static final long FAST_WORK_PER_HELPER_NANOS = 500_000;
  /** The least a queued task is assumed to take when sizing the work behind the leader. */
  static final long MIN_TASK_NANOS = 1_000;
  /** How often idle followers look at a poll slot left free while messages are in flight. */
  static final long FOLLOWER_CHECK_MILLIS = 20;
  /** How often idle followers look around when nothing is in flight. */
  private static final long IDLE_CHECK_MILLIS = 100;
  /** How long a pool at capacity waits between calls to {@link Source#idle()}. */
  private static final long IDLE_CALL_NANOS = 100_000_000L;
  /** How long the leader waits after a failed poll. */
  private static final long POLL_FAILURE_PAUSE_MILLIS = 1000;

  private final String name;
  private final Source<M> source;
  private final int prefetch;
  /** Poll again once this many messages are below the prefetch: a quarter of it, at least 1. */
  private final int refill;
  private final Thread[] threads;
  /** Tasks ready to run (jobs, lane continuations, ordered retries); guarded by {@link #lock}. */
  private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
  /** The leader's batch of tasks to start; leader only (reused: one leader at a time). */
  private final ArrayList<Runnable> startable = new ArrayList<>();
  private final Executor startNow = startable::add;
  /** A thread is polling (or calling {@code idle()} on) the source; guarded by {@link #lock}. */
  private boolean polling;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger handlersRunning = new AtomicInteger();
  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled when a task is queued, the poll slot frees up, capacity returns, or a handler ends. */
  private final Condition work = lock.newCondition();
  /** Threads waiting on {@link #work}; incremented before they check their condition. */
  private final AtomicInteger waiters = new AtomicInteger();
  /** Moving average of how long the leader's own task took after a poll (ns); racy by design. */
  private volatile long leaderTaskNanos;
  /** Threads waiting in {@code work.await}; guarded by {@link #lock}. */
  private int idle;
  /** Tasks taken from {@link #ready} so far (wraps); guarded by {@link #lock}. */
  private int taken;
  /** The last leader asked an idle thread to poll next even though tasks are queued; guarded by {@link #lock}. */
  private boolean handOver;
  /** When a worker last called {@code source.idle()}; guarded by {@link #lock}. */
  private long lastIdleCall;
  /** Worker threads that have not exited yet. */
  private final AtomicInteger live = new AtomicInteger();
  private volatile boolean stopping;
  /** Fetching is suspended ({@link #pause()}): workers call {@link Source#idle()} instead of polling. */
  private volatile boolean paused;

  /** {@code threads} workers named {@code name-worker-n}, at most {@code prefetch} messages in flight. */
  WorkerPool(String name, int threads, int prefetch, Source<M> source) {
    this.name = name;
    this.source = source;
    this.prefetch = prefetch;
    this.refill = Math.max(1, prefetch / 4);
    this.threads = new Thread[threads];
    for (int i = 0; i < threads; i++) {
      this.threads[i] = new Thread(this::workLoop, name + "-worker-" + (i + 1));
      this.threads[i].setDaemon(true);
    }
  }

  void start() {
    live.set(threads.length);
    for (Thread t : threads) {
      t.start();
    }
  }

  /** Messages fetched and not yet {@link #settled()}. */
  int inFlight() {
    return inFlight.get();
  }

  boolean stopping() {
    return stopping;
  }

  /**
   * A worker: runs queued tasks; with none queued, becomes the leader and polls if nobody else does
   * and there is capacity; otherwise waits. Exits once stopping with nothing queued.
   */
  private void workLoop() {
    try {
      while (true) {
        Runnable task = null;
        boolean lead = false;
        boolean idleCall = false;
        lock.lock();
        waiters.incrementAndGet();
        try {
          boolean mayAct = true;
          while (true) {
            if (mayAct && !polling && !stopping && (ready.isEmpty() || handOver) && mayPoll()) {
              handOver = false;
              polling = true;
              lead = true;
              break;
            }
            if (mayAct && (task = ready.poll()) != null) {
              taken++;
              break;
            }
            if (stopping) {
              if (!polling) {
                work.signalAll(); // the others may exit too
              }
              return;
            }
            boolean signalled;
            int seen = taken;
            idle++;
            try {
              // while messages are in flight, look again soon: a leader that did not hand over the
              // poll slot (fast handlers) may have met a slow message
              signalled = work.await(inFlight.get() > 0 ? FOLLOWER_CHECK_MILLIS : IDLE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
              continue; // only shutdown interrupts, after setting stopping
            } finally {
              idle--;
            }
            // looking on its own, a follower polls or helps with queued tasks only if nobody took one
            // meanwhile (a thread is stuck); while they are being taken, joining in only adds
            // contention, and the thread taking them polls again when they are done
            mayAct = signalled || stopping || taken == seen;
            long now;
            if (!signalled && !polling && !stopping && ready.isEmpty() && (paused || prefetch - inFlight.get() <= 0)
                && (now = System.nanoTime()) - lastIdleCall >= IDLE_CALL_NANOS) {
              // paused, or at capacity for a while: let the transport do its housekeeping on this thread
              lastIdleCall = now;
              polling = true;
              idleCall = true;
              break;
            }
          }
        } finally {
          waiters.decrementAndGet();
          lock.unlock();
        }
        if (task != null) {
          task.run();
        } else if (idleCall) {
          try {
            source.idle();
          } finally {
            releasePollSlot();
          }
        } else if (lead) {
          Runnable first = lead();
          if (first != null) {
            long start = System.nanoTime();
            first.run();
            // wall time, so a sample is capped: one preempted task on a busy machine must not turn
            // fast handlers "slow" on its own (handlers that really are slow get there in 3 samples)
            long took = Math.min(System.nanoTime() - start, 4 * FAST_TASK_NANOS);
            leaderTaskNanos += (took - leaderTaskNanos) >> 3; // moving average; racy updates are fine
          }
        }
      }
    } catch (RuntimeException | Error e) {
      log.error("worker of {} died", name, e);
      throw e;
    } finally {
      live.decrementAndGet();
      signal(true);
    }
  }

  /**
   * There is room for a worthwhile poll: at least {@link #refill} messages below the prefetch (one
   * round trip per message when a poll is allowed for every settled one), or any room at all when no
   * handler runs (messages waiting in a key's lane or unacked in manual mode must not stall the
   * rest), and fetching is not {@link #pause() paused}. Caller holds the lock or tolerates a stale answer.
   */
  private boolean mayPoll() {
    if (paused) {
      return false;
    }
    int free = prefetch - inFlight.get();
    return free > 0 && (free >= refill || handlersRunning.get() == 0);
  }

  /** The leader's turn: one poll, dispatched; returns the task this thread runs next. */
  private Runnable lead() {
    List<M> batch = List.of();
    try {
      batch = source.poll(Math.max(1, prefetch - inFlight.get()), POLL_WAIT);
    } catch (InterruptedException e) {
      if (!stopping) {
        log.warn("poll of {} interrupted", name);
      }
    } catch (RuntimeException e) {
      if (!stopping) {
        log.warn("poll of {} failed, retrying in 1 s: {}", name, e.toString());
        pauseHoldingPollSlot(POLL_FAILURE_PAUSE_MILLIS);
      }
    }
    if (!batch.isEmpty()) {
      inFlight.addAndGet(batch.size()); // before any task exists: a key's lane may run one at once
      for (M m : batch) {
        source.dispatch(m, startNow);
      }
    }
    return releasePollSlot();
  }

  /** Waits (still the leader, so no other thread polls meanwhile) unless stopping. */
  private void pauseHoldingPollSlot(long millis) {
    long end = System.nanoTime() + millis * 1_000_000L;
    lock.lock();
    try {
      long left;
      while (!stopping && (left = end - System.nanoTime()) > 0) {
        work.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends a turn at the source: queues the batch's startable tasks, frees the poll slot, takes the
   * first queued task for this thread and wakes idle threads: with slow handlers, one to poll
   * meanwhile and one per queued task; with fast ones (the leader's recent tasks took under
   * {@value #FAST_TASK_NANOS} ns), one to poll and one more per {@value #FAST_WORK_PER_HELPER_NANOS} ns
   * of queued work (queued tasks times the leader's recent average). A batch of fast messages that
   * this thread runs within that time wakes nobody: it is back at the source sooner than a woken
   * thread would be; should it not be (a message turned slow), an idle follower takes over the poll
   * slot within {@value #FOLLOWER_CHECK_MILLIS} ms.
   */
  private Runnable releasePollSlot() {
    lock.lock();
    try {
      ready.addAll(startable);
      startable.clear();
      polling = false;
      Runnable first = ready.poll();
      if (first != null) {
        taken++;
      }
      int rest = ready.size();
      long taskNanos = leaderTaskNanos;
      boolean slow = taskNanos > FAST_TASK_NANOS;
      long helpers = slow ? rest : rest * Math.max(MIN_TASK_NANOS, taskNanos) / FAST_WORK_PER_HELPER_NANOS;
      // hand the poll slot to an idle thread, so that fetching overlaps handling, when the handlers
      // are slow or enough work is queued; a batch of fast messages is back here sooner
      handOver = idle > 0 && first != null && (slow || helpers > 0);
      long wanted = (handOver ? 1 : 0) + helpers;
      for (int i = 0; i < wanted && i < idle; i++) {
        work.signal();
      }
      return first;
    } finally {
      lock.unlock();
    }
  }

  /** Queues a task for the workers (lane continuations, ordered retries); any thread. */
  void execute(Runnable task) {
    boolean wakePoller;
    lock.lock();
    try {
      ready.add(task);
      wakePoller = waiters.get() == 0 && polling && !isWorker();
      work.signal();
    } finally {
      lock.unlock();
    }
    if (wakePoller) {
      source.wakeup(); // nobody idle and no worker to come back soon: cut the leader's poll short
    }
  }

  /** Whether the calling thread is one of this pool's workers. */
  boolean isWorker() {
    Thread me = Thread.currentThread();
    for (Thread t : threads) {
      if (t == me) {
        return true;
      }
    }
    return false;
  }

  /**
   * A handler starts. Counted from before the caller's stopping check until after settlement, so
   * that shutdown never releases a message whose handler has just succeeded.
   */
  void handlerStarted() {
    handlersRunning.incrementAndGet();
  }

  /** A handler (started with {@link #handlerStarted()}) is done and its message settled or handed on. */
  void handlerEnded() {
    if (handlersRunning.decrementAndGet() == 0 && !stopping && !isWorker()) {
      int free = prefetch - inFlight.get();
      if (free > 0 && free < refill) {
        signal(false); // nothing runs: poll even for fewer than the refill (see mayPoll); a worker polls itself next
      }
    }
    if (stopping) {
      signal(true); // shutdown waits for running handlers
    }
  }

  /** A message fetched by this pool is settled: its room in the prefetch is free again. */
  void settled() {
    if (prefetch - inFlight.decrementAndGet() == refill && !isWorker()) {
      signal(false); // room for a worthwhile poll again (a worker settling looks for it itself next)
    }
  }

  /**
   * Wakes one waiting thread (or all). A waiter registers in {@code waiters} before it checks its
   * condition and the caller changed the counters before calling this, so a skipped signal is never
   * a lost one (and the waits are bounded anyway). Most calls skip the lock.
   */
  private void signal(boolean all) {
    if (waiters.get() == 0) {
      return;
    }
    lock.lock();
    try {
      if (all) {
        work.signalAll();
      } else {
        work.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops fetching and waits for the leader's poll to return (at most 5 poll waits, 1 s at least):
   * after this no message is fetched any more. Workers keep running queued tasks.
   */
  void stopFetching() {
    haltPolls(true);
  }

  /**
   * Suspends fetching and waits for the leader's poll to return, as {@link #stopFetching()}: after
   * this no message is fetched until {@link #resume()}. Workers keep running queued tasks, and call
   * {@link Source#idle()} about every 100 ms instead of polling.
   */
  void pause() {
    haltPolls(false);
  }

  /** Sets {@link #stopping} (or {@link #paused}), cuts the leader's poll short and waits for it to return. */
  private void haltPolls(boolean stop) {
    lock.lock();
    try {
      if (stop) {
        stopping = true;
        work.signalAll();
      } else {
        paused = true;
      }
    } finally {
      lock.unlock();
    }
    source.wakeup();
    long pollDeadline = System.nanoTime() + Math.max(1000, POLL_WAIT.toMillis() * 5) * 1_000_000L;
    awaitWhile(() -> polling, pollDeadline);
  }

  /** Fetches again after {@link #pause()}. */
  void resume() {
    lock.lock();
    try {
      paused = false;
      work.signalAll();
    } finally {
      lock.unlock();
    }
  }

  boolean paused() {
    return paused;
  }

  /**
   * After {@link #stopFetching()}: waits until no handler runs and no task is queued (or no worker
   * is left to run it), at most until {@code deadline} ({@link System#nanoTime()}). Returns whether
   * the pool drained in time.
   */
  boolean awaitDrained(long deadline) {
    return awaitWhile(() -> handlersRunning.get() > 0 || !ready.isEmpty() && live.get() > 0, deadline);
  }

  /** Interrupts workers still running (handlers that outlived the drain timeout), except the caller. */
  void interruptWorkers() {
    for (Thread t : threads) {
      if (t.isAlive() && t != Thread.currentThread()) {
        t.interrupt();
      }
    }
  }

  /** Waits while {@code condition} holds (checked under the lock), until {@code deadline}; true if it ended. */
  private boolean awaitWhile(java.util.function.BooleanSupplier condition, long deadline) {
    lock.lock();
    waiters.incrementAndGet();
    try {
      while (condition.getAsBoolean()) {
        if (System.nanoTime() - deadline >= 0) {
          return false;
        }
        work.await(20, TimeUnit.MILLISECONDS);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !condition.getAsBoolean();
    } finally {
      waiters.decrementAndGet();
      lock.unlock();
    }
  }
}
