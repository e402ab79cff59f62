package io.unimq.api.internal;

import io.unimq.api.BatchFailedException;
import io.unimq.api.BatchHandler;
import io.unimq.api.Delivery;
import io.unimq.api.Message;
import io.unimq.api.MessageHandler;
import io.unimq.api.Subscription;
import io.unimq.api.SubscriptionOptions;
import io.unimq.spi.Headers;
import io.unimq.spi.InboundMessage;
import io.unimq.spi.TransportConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consuming half of the engine, shared by every adapter. It wires the pieces: a
 * {@link WorkerPool} ({@code concurrency} threads, at most {@code prefetch} unacked messages) polling
 * the transport's consumer, {@link KeyedLanes} for ordered subscriptions, an {@link InFlightTable}
 * of unsettled deliveries, and the {@link FailurePolicy} whose decision each delivery's handler
 * outcome turns into an ack, a retry (through the transport's durable delay for unordered
 * subscriptions; in place, holding the key, for ordered ones), a dead letter or a drop. Retries
 * and dead letters are carried out by a {@link Settler}, off the handler threads. Closing drains:
 * no more fetching, queued and running handlers and settlements get the drain timeout, the rest is
 * released. Pausing stops fetching only: the pool calls the consumer's {@code idle()} instead of
 * polling, and everything fetched is handled as usual. With a {@link BatchHandler}, a job that
 * would run its handler joins a {@link Batcher} instead, and each batch's outcome concludes its jobs
 * one by one (so retries, dead letters and key lanes work as for single messages). Thread-safe.
 */
final class EngineSubscription implements Subscription, WorkerPool.Source<InboundMessage> {
  private static final Logger log = LoggerFactory.getLogger(EngineSubscription.class);
  private static final Runnable NO_LANE = () -> {};
  private static final AtomicIntegerFieldUpdater<Job> SETTLED = AtomicIntegerFieldUpdater.newUpdater(Job.class, "settled");

  private enum Outcome { ACK, RETRY, DEAD, RELEASE }

  private final EngineClient client;
  private final String topic;
  private final String group;
  private final SubscriptionOptions options;
  private final MessageHandler handler;
  /** With a {@link BatchHandler}: jobs gather here, and go to it batch by batch; null otherwise. */
  private final BatchHandler batchHandler;
  private final Batcher<Job> batcher;
  private final TransportConsumer consumer;
  private final ScheduledExecutorService scheduler;
  private final EngineMetrics metrics;
  private final FailurePolicy policy;
  private final FirstFailures firstFailures;
  private final KeyedLanes lanes;
  private final WorkerPool<InboundMessage> pool;
  /** Settles failures (retry, dead letter) off the handler threads. */
  private final Settler settler;
  /** Retries and dead letters that failed, carried out when their message comes back. */
  private final UnsettledFailures unsettledFailures = new UnsettledFailures(10_000, Duration.ofMinutes(10));
  /** Unsettled jobs, for close() to release; the leader adds (see {@link #dispatch}). */
  private final InFlightTable<Job> unsettled;
  /** Jobs created so far; leader only (hand-overs go through the pool's lock). */
  private int jobs;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Serialises pause and resume with each other and with close. */
  private final Object pauseLock = new Object();
  private final AutoCloseable lagGauge;

  EngineSubscription(EngineClient client, String topic, String group, SubscriptionOptions options,
      MessageHandler handler, BatchHandler batchHandler, TransportConsumer consumer, ScheduledExecutorService scheduler, EngineMetrics metrics,
      FirstFailures firstFailures) {
    this.client = client;
    this.topic = topic;
    this.group = group;
    this.options = options;
    this.handler = handler;
    this.batchHandler = batchHandler;
    this.consumer = consumer;
    this.scheduler = scheduler;
    this.metrics = metrics;
    this.policy = new FailurePolicy(topic, group, options, System::currentTimeMillis);
    this.firstFailures = firstFailures;
    this.pool = new WorkerPool<>("unimq-" + topic + "-" + group, options.concurrency(), options.prefetch(), this);
    this.lanes = options.ordered() ? new KeyedLanes(pool::execute) : null;
    this.batcher = batchHandler == null ? null
        : new Batcher<>(options.batchSize(), options.batchWait(), scheduler, pool::execute, this::runBatch);
    this.settler = new Settler("unimq-" + topic + "-" + group);
    // twice the prefetch: at most half the slots are taken, so an add takes a step or two
    this.unsettled = new InFlightTable<>(Math.max(16, 2 * options.prefetch()));
    this.lagGauge = metrics.lagGauge(topic, group, () -> client.admin().lag(topic, group));
  }

  void start() {
    pool.start();
  }

  @Override
  public List<InboundMessage> poll(int max, Duration wait) throws InterruptedException {
    List<InboundMessage> batch;
    try {
      batch = consumer.poll(max, wait);
    } catch (RuntimeException e) {
      client.brokerHealth().failed(e);
      throw e;
    }
    client.brokerHealth().succeeded();
    return batch;
  }

  /** Leader only: a fetched message becomes a tracked job, started now or queued behind its key. */
  @Override
  public void dispatch(InboundMessage in, Executor startNow) {
    metrics.received(topic, group);
    Job job = new Job(in, ++jobs);
    job.slot = unsettled.add(job);
    String key = in.message().key();
    if (lanes != null && key != null) {
      lanes.submit(key, job, startNow); // a free key starts in this batch, a busy one waits in its lane
    } else {
      startNow.execute(job);
    }
  }

  @Override
  public void idle() {
    consumer.idle();
  }

  @Override
  public void wakeup() {
    consumer.wakeup();
  }

  /** One fetched message through handling, retries and settlement. */
  private final class Job implements Runnable, KeyedLanes.Task {
    final InboundMessage in;
    /** 0 until settled; see {@link #SETTLED}. */
    volatile int settled;
    /** This job's slot in {@link #unsettled}; set before the job is shared. */
    int slot = -1;
    final int hash;
    volatile int attempt;
    volatile long firstFailure;
    /** With a batch handler: what runs once this job is settled (its key's lane goes on). */
    volatile Runnable batchDone;

    Job(InboundMessage in, int seq) {
      this.in = in;
      this.hash = seq * 0x9E3779B9; // spread; an identity hash costs a header inflation per job
      this.attempt = in.attempt();
      String ff = in.message().header(Headers.FIRST_FAILURE);
      if (ff != null) {
        this.firstFailure = Long.parseLong(ff);
      } else if (attempt > 1 && !in.retryCarriesHeaders()) {
        this.firstFailure = firstFailures.get(group, in.message().id());
      }
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

    @Override
    public void run(Runnable done) {
      pool.handlerStarted();
      try {
        runCounted(done);
      } finally {
        pool.handlerEnded();
      }
    }

    private void runCounted(Runnable done) {
      if (pool.stopping() || in.revoked()) {
        settle(Outcome.RELEASE, null);
        done.run();
        return;
      }
      UnsettledFailures.Pending left = unsettledFailures.take(in.message().id());
      if (left != null) {
        log.debug("message {} of {}/{} is back after its {} failed; carrying that out instead of handling it again",
            in.message().id(), topic, group, left.deadLetter() ? "dead letter" : "retry");
        settleFailure(left.deadLetter(), left.next(), left.delay());
        done.run();
        return;
      }
      if (batcher != null) {
        batchDone = done;
        batcher.add(this); // handled with its batch, which concludes it
        return;
      }
      conclude(invoke(), done);
    }

    /**
     * Turns the handler's outcome ({@code error}, null on success) into an ack, a retry, a dead
     * letter or a drop; runs {@code done} then, or after the last attempt of a retry in place.
     */
    void conclude(Throwable error, Runnable done) {
      FailurePolicy.Decision d = policy.decide(in.message(), attempt, error, firstFailure);
      if (error != null) {
        firstFailure = d.firstFailure();
      }
      switch (d.kind()) {
        case ACK -> settle(Outcome.ACK, null);
        case LEAVE -> { } // manual ack: the handler acks, or the message comes back
        case RETRY_IN_PLACE -> {
          retried(d, error);
          if (d.counted()) {
            attempt++; // holds back later messages of this key: done runs after the last attempt
          }
          scheduler.schedule(() -> pool.execute(() -> run(done)), d.delay().toMillis(), TimeUnit.MILLISECONDS);
          return;
        }
        case RETRY_LATER -> {
          retried(d, error);
          if (!in.retryCarriesHeaders() && d.firstFailure() != 0) {
            firstFailures.remember(group, in.message().id(), d.firstFailure());
          }
          settleFailure(false, d.message(), d.delay());
        }
        case DEAD_LETTER -> {
          metrics.deadLettered(topic, group);
          log.warn("message {} of {}/{} failed {} attempt(s); moving it to the dead letters: {}", in.message().id(), topic, group,
              attempt, error.toString());
          settleFailure(true, d.message(), null);
        }
        case DROP -> {
          log.error("message {} of {}/{} failed {} attempt(s) and dead letters are off: dropping it", in.message().id(), topic,
              group, attempt, error);
          settle(Outcome.ACK, null);
        }
        default -> throw new IllegalStateException(d.kind().toString());
      }
      done.run();
    }

    /**
     * A retry or dead letter: carried out by the {@link Settler}, so the handler thread goes on at
     * once, except for a keyed message of an ordered subscription, whose key waits for it.
     */
    private void settleFailure(boolean deadLetter, Message next, Duration delay) {
      Outcome outcome = deadLetter ? Outcome.DEAD : Outcome.RETRY;
      Runnable action = deadLetter ? () -> in.deadLetter(next) : () -> in.retryLater(next, delay);
      Runnable unsettled = () -> unsettledFailures.remember(in.message().id(), deadLetter, next, delay);
      if (lanes != null && in.message().key() != null) {
        settle(outcome, action, unsettled);
      } else {
        settler.execute(() -> settle(outcome, action, unsettled));
      }
    }

    private void retried(FailurePolicy.Decision d, Throwable error) {
      if (!d.counted()) {
        log.debug("message {} of {}/{} (attempt {}) waits {} for another delivery's idempotency lease: {}", in.message().id(),
            topic, group, attempt, d.delay(), error.getMessage());
        return;
      }
      metrics.retried(topic, group);
      log.debug("message {} of {}/{} failed attempt {}, retrying in {}: {}", in.message().id(), topic, group, attempt,
          d.delay(), error.toString());
    }

    private Throwable invoke() {
      boolean timed = metrics != EngineMetrics.NOOP;
      long start = timed ? System.nanoTime() : 0;
      Tracing tracing = client.tracing();
      Object trace = tracing.enterProcess(in.message(), topic, group, attempt);
      Throwable thrown = null;
      try {
        handler.handle(new EngineDelivery(this, attempt));
        if (timed) {
          metrics.handled(topic, group, System.nanoTime() - start, true);
        }
        return null;
      } catch (Throwable t) {
        thrown = t;
        if (timed) {
          metrics.handled(topic, group, System.nanoTime() - start, false);
        }
        if (t instanceof Error && !(t instanceof AssertionError)) {
          log.error("handler of {}/{} threw an Error", topic, group, t);
        }
        return t;
      } finally {
        tracing.exitProcess(trace, thrown);
      }
    }

    void settle(Outcome outcome, Runnable action) {
      settle(outcome, action, null);
    }

    /** As above; {@code onFailure}, when the settlement fails, runs before the message is released. */
    void settle(Outcome outcome, Runnable action, Runnable onFailure) {
      if (!SETTLED.compareAndSet(this, 0, 1)) {
        return;
      }
      try {
        switch (outcome) {
          case ACK -> in.ack();
          case RELEASE -> in.release();
          default -> action.run();
        }
        if (outcome != Outcome.RETRY && outcome != Outcome.RELEASE && firstFailure != 0 && !in.retryCarriesHeaders()) {
          firstFailures.forget(group, in.message().id());
        }
      } catch (RuntimeException e) {
        log.warn("could not settle message {} of {}/{} ({}); the broker will redeliver it: {}", in.message().id(), topic, group,
            outcome, e.toString());
        if (outcome != Outcome.RELEASE) {
          if (onFailure != null) {
            onFailure.run();
          }
          try {
            in.release();
          } catch (RuntimeException again) {
            log.debug("release after a failed settlement failed too", again);
          }
        }
      } finally {
        unsettled.remove(this, slot);
        pool.settled();
      }
    }
  }

  /**
   * A batch through the batch handler: jobs released or revoked meanwhile leave it; the others are
   * concluded by the outcome, as {@link BatchHandler} describes.
   */
  private void runBatch(List<Job> jobs) {
    pool.handlerStarted();
    try {
      List<Job> live = new ArrayList<>(jobs.size());
      for (Job job : jobs) {
        if (pool.stopping() || job.in.revoked()) {
          job.settle(Outcome.RELEASE, null);
          job.batchDone.run();
        } else {
          live.add(job);
        }
      }
      if (live.isEmpty()) {
        return;
      }
      List<Delivery> deliveries = new ArrayList<>(live.size());
      for (Job job : live) {
        deliveries.add(new EngineDelivery(job, job.attempt));
      }
      Throwable error = invokeBatch(Collections.unmodifiableList(deliveries));
      int failed = error instanceof BatchFailedException bf && bf.index() >= 0 && bf.index() < live.size() ? bf.index() : -1;
      if (error instanceof BatchFailedException && failed < 0) {
        log.warn("batch handler of {}/{} threw a BatchFailedException for index {} of a batch of {}: failing the whole batch", topic,
            group, ((BatchFailedException) error).index(), live.size());
      }
      for (int i = 0; i < live.size(); i++) {
        Job job = live.get(i);
        if (failed < 0) {
          job.conclude(error, job.batchDone);
        } else if (i < failed) {
          job.conclude(null, job.batchDone);
        } else if (i == failed) {
          job.conclude(error.getCause() != null ? error.getCause() : error, job.batchDone);
        } else {
          batcher.add(job); // not handled: the next batch, same attempt
        }
      }
    } finally {
      pool.handlerEnded();
    }
  }

  private Throwable invokeBatch(List<Delivery> batch) {
    long start = System.nanoTime();
    Throwable error = null;
    Tracing tracing = client.tracing();
    List<Message> messages = new ArrayList<>(batch.size());
    for (Delivery d : batch) {
      messages.add(d.message());
    }
    Object trace = tracing.enterBatch(messages, topic, group);
    try {
      batchHandler.handle(batch);
    } catch (Throwable t) {
      if (t instanceof Error && !(t instanceof AssertionError)) {
        log.error("batch handler of {}/{} threw an Error", topic, group, t);
      }
      error = t;
    } finally {
      tracing.exitProcess(trace, error);
    }
    if (metrics != EngineMetrics.NOOP) {
      long each = (System.nanoTime() - start) / batch.size();
      for (int i = 0; i < batch.size(); i++) {
        metrics.handled(topic, group, each, error == null);
      }
    }
    return error;
  }

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
    return pool.inFlight();
  }

  @Override
  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public void pause() {
    synchronized (pauseLock) {
      if (closed.get() || pool.paused()) {
        return;
      }
      pool.pause();
      consumer.pause();
    }
    log.info("paused {}/{}", topic, group);
  }

  @Override
  public void resume() {
    synchronized (pauseLock) {
      if (closed.get() || !pool.paused()) {
        return;
      }
      consumer.resume();
      pool.resume();
    }
    log.info("resumed {}/{}", topic, group);
  }

  @Override
  public State state() {
    return closed.get() ? State.CLOSED : pool.paused() ? State.PAUSED : State.RUNNING;
  }

  @Override
  public void close() {
    close(options.drainTimeout());
  }

  /**
   * Drains, then closes: no more fetching; messages waiting behind their key run (or, when the
   * subscription is stopping, are released by their job); running and queued handlers get
   * {@code drainTimeout}; what is still unsettled is then released for redelivery and workers still
   * in a handler are interrupted; last the transport's consumer and the lag gauge close.
   */
  @Override
  public void close(Duration drainTimeout) {
    drainTimeout = EngineClient.closeTimeout(drainTimeout);
    synchronized (pauseLock) {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
    }
    pool.stopFetching();
    if (lanes != null) {
      lanes.drainQueued(t -> t.run(NO_LANE));
    }
    long nanos = drainTimeout.compareTo(Duration.ofDays(365)) > 0 ? Duration.ofDays(365).toNanos() : drainTimeout.toNanos();
    long deadline = System.nanoTime() + nanos;
    pool.awaitDrained(deadline);
    settler.close(deadline);
    unsettled.forEach(job -> job.settle(Outcome.RELEASE, null));
    pool.interruptWorkers();
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
}
