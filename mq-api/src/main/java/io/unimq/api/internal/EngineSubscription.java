package io.unimq.api.internal;

import io.unimq.api.AckMode;
import io.unimq.api.Delivery;
import io.unimq.api.Message;
import io.unimq.api.MessageHandler;
import io.unimq.api.RetryPolicy;
import io.unimq.api.Subscription;
import io.unimq.api.SubscriptionOptions;
import io.unimq.spi.Headers;
import io.unimq.spi.InboundMessage;
import io.unimq.spi.TransportConsumer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consuming half of the engine, shared by every adapter: {@code concurrency} threads in a
 * leader/follower pool, at most {@code prefetch} unacked messages, per-key lanes for ordered
 * subscriptions, retry by policy (non-blocking via the transport's durable delay for unordered
 * subscriptions; in place, holding the key, for ordered ones), dead-letter envelopes, and a drain
 * on close. Thread-safe.
 *
 * <p>Leader/follower: one thread at a time (the leader) polls the transport; when the poll returns,
 * it queues what it got, wakes idle threads for the rest of the batch and for the next poll, and
 * runs the first message itself. A message is therefore handled on the thread that fetched it
 * whenever the others are busy or idle, instead of crossing a poll thread and a handler pool (each
 * hand-off parks and wakes a thread, which on a small machine costs more than a short handler).
 */
final class EngineSubscription implements Subscription {
  private static final Logger log = LoggerFactory.getLogger(EngineSubscription.class);
  private static final Duration POLL_WAIT = Duration.ofMillis(200);
  /** Below this, a leader keeps the poll slot to itself while it runs its task. */
  private static final long FAST_TASK_NANOS = 50_000;
  /**
   * With fast handlers, the work queued behind the leader's task (queued tasks times their recent
   * average) that justifies waking one more thread: the poll slot goes to another thread, and one
   * more helper is woken, per this much queued work. Less than this, the leader runs it alone and is
   * back at the transport sooner than a woken thread would be (a wake-up, and threads contending for
   * the queue, cost more than short handlers).
   */
  private static final long FAST_WORK_PER_HELPER_NANOS = 500_000;
  /** The least a queued task is assumed to take when sizing the work behind the leader. */
  private static final long MIN_TASK_NANOS = 1_000;
  /** How often idle followers look at a poll slot left free while messages are in flight. */
  private static final long FOLLOWER_CHECK_MILLIS = 20;

  private final EngineClient client;
  private final String topic;
  private final String group;
  private final SubscriptionOptions options;
  private final RetryPolicy policy;
  private final MessageHandler handler;
  private final TransportConsumer consumer;
  private final ScheduledExecutorService scheduler;
  private final EngineMetrics metrics;
  private final KeyedLanes lanes;
  private final Thread[] threads;
  /** Tasks ready to run (jobs, lane continuations, ordered retries); guarded by {@link #lock}. */
  private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
  /** A thread is polling (or calling {@code idle()} on) the transport; guarded by {@link #lock}. */
  private boolean polling;
  /**
   * Unsettled jobs, for close() to release: one slot per job, cleared when it settles. Only the
   * leader fills slots (a free one found from {@link #slotCursor}); with at most {@code prefetch}
   * jobs unsettled, at least half the slots are free, so a search takes a step or two. A set would
   * cost a hash-table insertion and removal per message.
   */
  private final AtomicReferenceArray<Job> slots;
  /** Where the leader looks for a free slot next; leader only. */
  private int slotCursor;
  /** Jobs that found no free slot (more unsettled than the slots: not expected, but never lost). */
  private final Set<Job> overflow = ConcurrentHashMap.newKeySet();
  /** Jobs created so far; written by the leader only (hand-overs go through {@link #lock}). */
  private int jobs;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger handlersRunning = new AtomicInteger();
  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled when a task is queued, the poll slot frees up, capacity returns, or a handler ends. */
  private final Condition work = lock.newCondition();
  /** Threads waiting on {@link #work}; incremented before they check their condition. */
  private final AtomicInteger waiters = new AtomicInteger();
  /** Poll again once this many messages are below the prefetch: a quarter of it, at least 1. */
  private final int refill;
  /** Moving average of how long the leader's own task took after a poll (ns); racy by design. */
  private volatile long leaderTaskNanos;
  /** Threads waiting in {@code work.await}; guarded by {@link #lock}. */
  private int idle;
  /** Tasks taken from {@link #ready} so far (wraps); guarded by {@link #lock}. */
  private int taken;
  /** The last leader asked an idle thread to poll next even though tasks are queued; guarded by {@link #lock}. */
  private boolean handOver;
  /** When a worker last called {@code consumer.idle()}; guarded by {@link #lock}. */
  private long lastIdleCall;
  /** Worker threads that have not exited yet. */
  private final AtomicInteger live = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AutoCloseable lagGauge;
  private volatile boolean stopping;

  EngineSubscription(EngineClient client, String topic, String group, SubscriptionOptions options,
      MessageHandler handler, TransportConsumer consumer, ScheduledExecutorService scheduler, EngineMetrics metrics) {
    this.client = client;
    this.topic = topic;
    this.group = group;
    this.options = options;
    this.policy = options.retryPolicy();
    this.handler = handler;
    this.consumer = consumer;
    this.scheduler = scheduler;
    this.metrics = metrics;
    String name = "unimq-" + topic + "-" + group + "-worker-";
    this.lanes = options.ordered() ? new KeyedLanes(this::enqueue) : null;
    this.refill = Math.max(1, options.prefetch() / 4);
    this.slots = new AtomicReferenceArray<>(Math.max(16, 2 * options.prefetch()));
    this.threads = new Thread[options.concurrency()];
    for (int i = 0; i < threads.length; i++) {
      threads[i] = new Thread(this::workLoop, name + (i + 1));
      threads[i].setDaemon(true);
    }
    this.lagGauge = metrics.lagGauge(topic, group, () -> client.admin().lag(topic, group));
  }

  void start() {
    live.set(threads.length);
    for (Thread t : threads) {
      t.start();
    }
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
              signalled = work.await(inFlight.get() > 0 ? FOLLOWER_CHECK_MILLIS : 100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
              continue; // only close() interrupts, after setting stopping
            } finally {
              idle--;
            }
            // looking on its own, a follower polls or helps with queued tasks only if nobody took one
            // meanwhile (a thread is stuck); while they are being taken, joining in only adds
            // contention, and the thread taking them polls again when they are done
            mayAct = signalled || stopping || taken == seen;
            long now;
            if (!signalled && !polling && !stopping && ready.isEmpty() && options.prefetch() - inFlight.get() <= 0
                && (now = System.nanoTime()) - lastIdleCall >= 100_000_000L) {
              // at capacity for a while: let the transport do its housekeeping on this thread
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
            consumer.idle();
          } finally {
            releasePollSlot(List.of());
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
      log.error("worker of {}/{} died", topic, group, e);
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
   * rest). Caller holds the lock or tolerates a stale answer.
   */
  private boolean mayPoll() {
    int free = options.prefetch() - inFlight.get();
    return free > 0 && (free >= refill || handlersRunning.get() == 0);
  }

  /** The leader's turn: one poll; the batch goes to the queue; returns the task this thread runs next. */
  private Runnable lead() {
    List<InboundMessage> batch = List.of();
    try {
      batch = consumer.poll(Math.max(1, options.prefetch() - inFlight.get()), POLL_WAIT);
    } catch (InterruptedException e) {
      if (!stopping) {
        log.warn("poll of {}/{} interrupted", topic, group);
      }
    } catch (RuntimeException e) {
      if (!stopping) {
        log.warn("poll of {}/{} failed, retrying in 1 s: {}", topic, group, e.toString());
        pauseHoldingPollSlot(1000);
      }
    }
    return releasePollSlot(batch);
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
   * Ends a turn at the transport: turns the batch into jobs (ordered ones queue through their key's
   * lane), frees the poll slot, takes the first queued task for this thread and wakes idle threads:
   * with slow handlers, one to poll meanwhile and one per queued task; with fast ones (the leader's
   * recent tasks took under {@value #FAST_TASK_NANOS} ns), one to poll and one more per
   * {@value #FAST_WORK_PER_HELPER_NANOS} ns of queued work (queued tasks times the leader's recent
   * average). A batch of fast messages that this thread runs within that time wakes nobody: it is
   * back at the transport sooner than a woken thread would be; should it not be (a message turned
   * slow), an idle follower takes over the poll slot within {@value #FOLLOWER_CHECK_MILLIS} ms.
   */
  private Runnable releasePollSlot(List<InboundMessage> batch) {
    List<Runnable> startable = new ArrayList<>(batch.size());
    if (!batch.isEmpty()) {
      inFlight.addAndGet(batch.size()); // before any job exists: a key's lane may run one at once
    }
    for (InboundMessage in : batch) {
      metrics.received(topic, group);
      Job job = new Job(in, ++jobs);
      track(job);
      String key = in.message().key();
      if (lanes != null && key != null) {
        lanes.submit(key, job::run, startable::add); // a free key starts in this batch, a busy one waits in its lane
      } else {
        startable.add(job);
      }
    }
    lock.lock();
    try {
      ready.addAll(startable);
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

  /** Records an unsettled job for {@link #close}; leader only. */
  private void track(Job job) {
    int n = slots.length();
    for (int i = 0; i < n; i++) {
      int slot = slotCursor;
      slotCursor = slot + 1 == n ? 0 : slot + 1;
      if (slots.get(slot) == null) {
        job.slot = slot;
        slots.set(slot, job);
        return;
      }
    }
    overflow.add(job);
  }

  /** Queues a task for the workers (lanes, ordered retries); thread-safe. */
  private void enqueue(Runnable task) {
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
      consumer.wakeup(); // nobody idle and no worker to come back soon: cut the leader's poll short
    }
  }

  private boolean isWorker() {
    Thread me = Thread.currentThread();
    for (Thread t : threads) {
      if (t == me) {
        return true;
      }
    }
    return false;
  }

  /** One fetched message through handling, retries and settlement. */
  private final class Job implements Runnable {
    final InboundMessage in;
    /** 0 until settled; see {@link #SETTLED}. */
    volatile int settled;
    /** This job's entry in {@link #slots}, or -1 (in {@link #overflow}); set before the job is shared. */
    int slot = -1;
    final int hash;
    volatile int attempt;
    volatile long firstFailure;

    Job(InboundMessage in, int seq) {
      this.in = in;
      this.hash = seq * 0x9E3779B9; // spread; an identity hash costs a header inflation per job
      this.attempt = in.attempt();
      String ff = in.message().header(Headers.FIRST_FAILURE);
      this.firstFailure = ff == null ? 0 : Long.parseLong(ff);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return this == o;
    }

    @Override
    public void run() {
      run(NO_LANE);
    }

    void run(Runnable done) {
      // counted from before the stopping check until after settlement, so that close() never
      // releases a message whose handler has just succeeded
      handlersRunning.incrementAndGet();
      try {
        runCounted(done);
      } finally {
        if (handlersRunning.decrementAndGet() == 0 && !stopping && !isWorker()) {
          int free = options.prefetch() - inFlight.get();
          if (free > 0 && free < refill) {
            signal(false); // nothing runs: poll even for fewer than the refill (see mayPoll); a worker polls itself next
          }
        }
        if (stopping) {
          signal(true); // close() waits for running handlers
        }
      }
    }

    private void runCounted(Runnable done) {
      if (stopping || in.revoked()) {
        settle(Outcome.RELEASE, null);
        done.run();
        return;
      }
      Throwable error = invoke();
      if (error == null) {
        if (options.ackMode() == AckMode.AUTO) {
          settle(Outcome.ACK, null);
        }
        done.run();
        return;
      }
      long now = System.currentTimeMillis();
      if (firstFailure == 0) {
        firstFailure = now;
      }
      if (policy.shouldRetry(attempt, error)) {
        Duration backoff = policy.backoff(attempt);
        metrics.retried(topic, group);
        log.debug("message {} of {}/{} failed attempt {}, retrying in {}: {}", in.message().id(), topic, group, attempt, backoff, error.toString());
        if (lanes != null && in.message().key() != null) {
          // ordered: retry in place, holding back later messages of this key
          attempt++;
          scheduler.schedule(() -> enqueue(() -> run(done)), backoff.toMillis(), TimeUnit.MILLISECONDS);
          return;
        }
        Message next = in.message().toBuilder()
            .header(Headers.ATTEMPT, Integer.toString(attempt + 1))
            .header(Headers.FIRST_FAILURE, Long.toString(firstFailure))
            .deliverAt(null).build();
        settle(Outcome.RETRY, () -> in.retryLater(next, backoff));
        done.run();
        return;
      }
      if (options.deadLetter()) {
        metrics.deadLettered(topic, group);
        log.warn("message {} of {}/{} failed {} attempt(s); moving it to the dead letters: {}", in.message().id(), topic, group, attempt, error.toString());
        Message dead = deadLetterEnvelope(error, now);
        settle(Outcome.DEAD, () -> in.deadLetter(dead));
      } else {
        log.error("message {} of {}/{} failed {} attempt(s) and dead letters are off: dropping it", in.message().id(), topic, group, attempt, error);
        settle(Outcome.ACK, null);
      }
      done.run();
    }

    private Throwable invoke() {
      boolean timed = metrics != EngineMetrics.NOOP;
      long start = timed ? System.nanoTime() : 0;
      String previous = Trace.enter(in.message().header(Headers.TRACEPARENT));
      try {
        handler.handle(new EngineDelivery(this, attempt));
        if (timed) {
          metrics.handled(topic, group, System.nanoTime() - start, true);
        }
        return null;
      } catch (Throwable t) {
        if (timed) {
          metrics.handled(topic, group, System.nanoTime() - start, false);
        }
        if (t instanceof Error && !(t instanceof AssertionError)) {
          log.error("handler of {}/{} threw an Error", topic, group, t);
        }
        return t;
      } finally {
        Trace.exit(previous);
      }
    }

    private Message deadLetterEnvelope(Throwable error, long now) {
      String msg = error.getMessage() == null ? "" : error.getMessage();
      if (msg.length() > 1000) {
        msg = msg.substring(0, 1000);
      }
      return in.message().toBuilder()
          .removeHeader(Headers.ATTEMPT).removeHeader(Headers.FIRST_FAILURE)
          .header(Headers.DLQ_ORIGINAL_TOPIC, topic)
          .header(Headers.DLQ_GROUP, group)
          .header(Headers.DLQ_ATTEMPTS, Integer.toString(attempt))
          .header(Headers.DLQ_FIRST_FAILURE, Long.toString(firstFailure))
          .header(Headers.DLQ_LAST_FAILURE, Long.toString(now))
          .header(Headers.DLQ_EXCEPTION, error.getClass().getName())
          .header(Headers.DLQ_EXCEPTION_MESSAGE, msg)
          .deliverAt(null).build();
    }

    void settle(Outcome outcome, Runnable action) {
      if (!SETTLED.compareAndSet(this, 0, 1)) {
        return;
      }
      try {
        switch (outcome) {
          case ACK -> in.ack();
          case RELEASE -> in.release();
          default -> action.run();
        }
      } catch (RuntimeException e) {
        log.warn("could not settle message {} of {}/{} ({}); the broker will redeliver it: {}", in.message().id(), topic, group, outcome, e.toString());
        if (outcome != Outcome.RELEASE) {
          try {
            in.release();
          } catch (RuntimeException again) {
            log.debug("release after a failed settlement failed too", again);
          }
        }
      } finally {
        if (slot >= 0) {
          slots.setRelease(slot, null); // the slot is this job's until cleared, so a plain write does
        } else {
          overflow.remove(this);
        }
        if (options.prefetch() - inFlight.decrementAndGet() == refill && !isWorker()) {
          signal(false); // room for a worthwhile poll again (a worker settling looks for it itself next)
        }
      }
    }
  }

  /**
   * Wakes one waiting thread (or all): a worker that may poll again, or close(). A waiter registers
   * in {@code waiters} before it checks its condition and the caller changed the counters before
   * calling this, so a skipped signal is never a lost one (and the waits are bounded anyway). Most
   * calls skip the lock.
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

  private static final Runnable NO_LANE = () -> {};
  private static final AtomicIntegerFieldUpdater<Job> SETTLED = AtomicIntegerFieldUpdater.newUpdater(Job.class, "settled");

  private enum Outcome { ACK, RETRY, DEAD, RELEASE }

  private final class EngineDelivery implements Delivery {
    private final Job job;
    private final int attempt;

    EngineDelivery(Job job, int attempt) {
      this.job = job;
      this.attempt = attempt;
    }

    @Override
    public Message message() {
      return job.in.message();
    }

    @Override
    public int attempt() {
      return attempt;
    }

    @Override
    public String group() {
      return group;
    }

    @Override
    public void ack() {
      job.settle(Outcome.ACK, null);
    }
  }

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public String group() {
    return group;
  }

  @Override
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public void close() {
    close(options.drainTimeout());
  }

  @Override
  public void close(Duration drainTimeout) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    lock.lock();
    try {
      stopping = true;
      work.signalAll();
    } finally {
      lock.unlock();
    }
    consumer.wakeup();
    long pollDeadline = System.nanoTime() + Math.max(1000, POLL_WAIT.toMillis() * 5) * 1_000_000L;
    lock.lock();
    waiters.incrementAndGet();
    try {
      // the leader's poll returns soon; after it no message is fetched any more
      while (polling && System.nanoTime() < pollDeadline) {
        work.await(20, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      waiters.decrementAndGet();
      lock.unlock();
    }
    if (lanes != null) {
      lanes.drainQueued(t -> t.run(NO_LANE));
    }
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    lock.lock();
    waiters.incrementAndGet();
    try {
      while ((handlersRunning.get() > 0 || !ready.isEmpty() && live.get() > 0) && System.nanoTime() < deadline) {
        work.await(20, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      waiters.decrementAndGet();
      lock.unlock();
    }
    for (int i = 0; i < slots.length(); i++) {
      Job job = slots.get(i);
      if (job != null) {
        job.settle(Outcome.RELEASE, null);
      }
    }
    for (Job job : overflow) {
      job.settle(Outcome.RELEASE, null);
    }
    for (Thread t : threads) {
      if (t.isAlive() && t != Thread.currentThread()) {
        t.interrupt(); // a handler still running after the drain timeout
      }
    }
    try {
      consumer.close();
    } catch (RuntimeException e) {
      log.warn("closing the consumer of {}/{} failed: {}", topic, group, e.toString());
    }
    try {
      lagGauge.close();
    } catch (Exception ignored) {
      // best effort
    }
    client.forget(this);
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
