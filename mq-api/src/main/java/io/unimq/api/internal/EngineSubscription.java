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
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consuming half of the engine, shared by every adapter: one poll thread fetching at most
 * {@code prefetch} unacked messages, a pool of {@code concurrency} handler threads, per-key lanes
 * for ordered subscriptions, retry by policy (non-blocking via the transport's durable delay for
 * unordered subscriptions; in place, holding the key, for ordered ones), dead-letter envelopes,
 * and a drain on close. Thread-safe.
 */
final class EngineSubscription implements Subscription {
  private static final Logger log = LoggerFactory.getLogger(EngineSubscription.class);
  private static final Duration POLL_WAIT = Duration.ofMillis(200);

  private final EngineClient client;
  private final String topic;
  private final String group;
  private final SubscriptionOptions options;
  private final RetryPolicy policy;
  private final MessageHandler handler;
  private final TransportConsumer consumer;
  private final ScheduledExecutorService scheduler;
  private final EngineMetrics metrics;
  private final ExecutorService workers;
  private final KeyedLanes lanes;
  private final Thread poller;
  private final Set<Job> unsettled = ConcurrentHashMap.newKeySet();
  /** Jobs created so far; written by the poll thread only. */
  private int jobs;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger handlersRunning = new AtomicInteger();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition capacity = lock.newCondition();
  /** Threads waiting on {@link #capacity}. */
  private final AtomicInteger waiters = new AtomicInteger();
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
    String name = "unimq-" + topic + "-" + group;
    AtomicInteger n = new AtomicInteger();
    this.workers = new ThreadPoolExecutor(options.concurrency(), options.concurrency(), 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, name + "-worker-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    this.lanes = options.ordered() ? new KeyedLanes(workers) : null;
    this.poller = new Thread(this::pollLoop, name + "-poll");
    this.poller.setDaemon(true);
    this.lagGauge = metrics.lagGauge(topic, group, () -> client.admin().lag(topic, group));
  }

  void start() {
    poller.start();
  }

  private void pollLoop() {
    int prefetch = options.prefetch();
    while (!stopping) {
      try {
        int free = prefetch - inFlight.get();
        if (free <= 0) {
          awaitCapacity();
          if (!stopping && prefetch - inFlight.get() <= 0) {
            consumer.idle();
          }
          continue;
        }
        List<InboundMessage> batch = consumer.poll(free, POLL_WAIT);
        for (InboundMessage in : batch) {
          inFlight.incrementAndGet();
          metrics.received(topic, group);
          dispatch(new Job(in, ++jobs));
        }
      } catch (InterruptedException e) {
        if (!stopping) {
          log.warn("poll thread of {}/{} interrupted", topic, group);
        }
        return;
      } catch (RuntimeException e) {
        if (stopping) {
          return;
        }
        log.warn("poll of {}/{} failed, retrying in 1 s: {}", topic, group, e.toString());
        sleepQuietly(1000);
      }
    }
  }

  private void awaitCapacity() throws InterruptedException {
    lock.lock();
    waiters.incrementAndGet();
    try {
      if (!stopping && inFlight.get() >= options.prefetch()) {
        capacity.await(100, TimeUnit.MILLISECONDS);
      }
    } finally {
      waiters.decrementAndGet();
      lock.unlock();
    }
  }

  private void dispatch(Job job) {
    unsettled.add(job);
    String key = job.in.message().key();
    if (lanes != null && key != null) {
      lanes.submit(key, job::run);
    } else {
      workers.execute(() -> job.run(() -> {}));
    }
  }

  /** One fetched message through handling, retries and settlement. */
  private final class Job {
    final InboundMessage in;
    final AtomicBoolean settled = new AtomicBoolean();
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

    void run(Runnable done) {
      // counted from before the stopping check until after settlement, so that close() never
      // releases a message whose handler has just succeeded
      handlersRunning.incrementAndGet();
      try {
        runCounted(done);
      } finally {
        handlersRunning.decrementAndGet();
        signalCapacity();
      }
    }

    private void runCounted(Runnable done) {
      if (stopping) {
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
          scheduler.schedule(() -> workers.execute(() -> run(done)), backoff.toMillis(), TimeUnit.MILLISECONDS);
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
      if (!settled.compareAndSet(false, true)) {
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
        unsettled.remove(this);
        inFlight.decrementAndGet();
        signalCapacity();
      }
    }
  }

  /**
   * Wakes the poll thread or close() if one waits. A waiter registers in {@code waiters} before it
   * checks its condition and the caller changed the counters before calling this, so a skipped
   * signal is never a lost one (and the waits are bounded anyway). Most messages skip the lock.
   */
  private void signalCapacity() {
    if (waiters.get() == 0) {
      return;
    }
    lock.lock();
    try {
      capacity.signalAll();
    } finally {
      lock.unlock();
    }
  }

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
    stopping = true;
    consumer.wakeup();
    try {
      poller.join(Math.max(1000, POLL_WAIT.toMillis() * 5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (lanes != null) {
      lanes.drainQueued(t -> t.run(() -> {}));
    }
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    lock.lock();
    waiters.incrementAndGet();
    try {
      while (handlersRunning.get() > 0 && System.nanoTime() < deadline) {
        capacity.await(20, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      waiters.decrementAndGet();
      lock.unlock();
    }
    for (Job job : unsettled) {
      job.settle(Outcome.RELEASE, null);
    }
    workers.shutdownNow();
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
