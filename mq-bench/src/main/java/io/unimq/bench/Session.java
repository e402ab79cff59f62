package io.unimq.bench;

import io.unimq.bench.drivers.Driver;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One fresh topic with one subscribed consumer group, on which phases run one after another:
 * open-loop at a fixed rate (latency from the intended send time) or saturating with a bounded
 * window of unconfirmed sends (throughput). The sending thread is the caller's. Not thread-safe
 * apart from the receive path.
 */
final class Session implements AutoCloseable {
  private static final int MAX_PHASES = 256;
  private static final int WARM_UP_WINDOW = 256;
  private static final boolean VERBOSE = Boolean.getBoolean("bench.verbose");

  private final Driver driver;
  private final String topic;
  private final String group;
  private final int size;
  private final int maxOutstanding;
  private final AtomicReferenceArray<Stats> phases = new AtomicReferenceArray<>(MAX_PHASES);
  private final AtomicInteger nextPhase = new AtomicInteger(1);
  private volatile boolean probeSeen;
  private AutoCloseable subscription;

  private Session(Driver driver, int size, int maxOutstanding) {
    this.driver = driver;
    this.size = size;
    this.maxOutstanding = maxOutstanding;
    String id = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffffL);
    this.topic = "bench-" + driver.implementation() + "-" + id;
    this.group = "g-" + id;
  }

  /** Creates the topic, subscribes and waits until a probe message comes through. */
  static Session open(Driver driver, int size, int partitions, int maxOutstanding, Duration readyTimeout) {
    Session s = new Session(driver, size, maxOutstanding);
    try {
      long t0 = System.nanoTime();
      driver.createTopic(s.topic, partitions);
      long t1 = System.nanoTime();
      s.subscription = driver.subscribe(s.topic, s.group, partitions, s::onReceive);
      long t2 = System.nanoTime();
      s.awaitReady(readyTimeout);
      if (VERBOSE) {
        Main.log(String.format("    %s open: topic %d ms, subscribe %d ms, first probe back %d ms", s.topic, (t1 - t0) / 1_000_000,
            (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000));
      }
      return s;
    } catch (RuntimeException | InterruptedException e) {
      s.close();
      throw new IllegalStateException(driver.implementation() + " session on " + s.topic + " failed: " + e, e);
    }
  }

  String topic() {
    return topic;
  }

  private void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long seq = 0;
    while (!probeSeen) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no probe message came back within " + timeout);
      }
      driver.send(topic, Payload.encode(size, System.nanoTime(), 0, seq++), e -> { });
      driver.flush();
      Thread.sleep(50);
    }
  }

  private void onReceive(byte[] body) {
    long now = System.nanoTime();
    int phase = Payload.phase(body);
    if (phase == 0) {
      probeSeen = true;
      return;
    }
    Stats s = phase > 0 && phase < MAX_PHASES ? phases.get(phase) : null;
    if (s != null) {
      s.received.incrementAndGet();
      if (s.releaseOnReceipt) {
        s.window.release();
      }
      if (now <= s.windowEnd) {
        s.receivedInWindow.incrementAndGet();
      }
      s.e2e.record(Payload.intendedNanos(body), now);
    }
  }

  /** Open loop at {@code rate} messages per second for {@code duration}. */
  PhaseResult fixedRate(double rate, Duration duration, Duration drainTimeout) throws InterruptedException {
    return run(rate, duration, drainTimeout, maxOutstanding);
  }

  /**
   * As fast as the pipeline carries messages, for {@code duration}: at most {@code maxOutstanding} sent
   * and not yet received, so the producer cannot outrun the consumer and both rates are sustainable.
   */
  PhaseResult saturate(Duration duration, Duration drainTimeout) throws InterruptedException {
    return run(0, duration, drainTimeout, maxOutstanding);
  }

  /** A warm-up: closed loop with a small window, so that even a slow consumer is left with little backlog. */
  PhaseResult warmUp(Duration duration, Duration drainTimeout) throws InterruptedException {
    return run(0, duration, drainTimeout, WARM_UP_WINDOW);
  }

  /**
   * Publish only: as fast as the client confirms, at most {@code maxOutstanding} unconfirmed, whatever
   * the consumer does; the drain waits for confirms only. Leaves a backlog: run it last in a session.
   */
  PhaseResult saturatePublish(Duration duration, Duration drainTimeout) throws InterruptedException {
    return run(-1, duration, drainTimeout, maxOutstanding);
  }

  private PhaseResult run(double rate, Duration duration, Duration drainTimeout, int windowSize) throws InterruptedException {
    int id = nextPhase.getAndIncrement();
    if (id >= MAX_PHASES) {
      throw new IllegalStateException("too many phases in one session");
    }
    long cpu0 = PhaseResult.processCpuNanos();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    Stats st = new Stats(end, new Semaphore(windowSize), rate == 0);
    phases.set(id, st);
    Semaphore window = st.window;
    boolean releaseOnAck = !st.releaseOnReceipt;
    Pacer pacer = rate > 0 ? new Pacer(rate, start, System::nanoTime) : null;
    long seq = 0;
    while (true) {
      long intended;
      if (pacer != null) {
        long next = pacer.peek();
        if (next >= end) {
          break;
        }
        if (next > System.nanoTime()) {
          driver.flush();
        }
        intended = pacer.awaitNext();
      } else {
        intended = System.nanoTime();
        if (intended >= end) {
          break;
        }
      }
      if (!window.tryAcquire()) {
        driver.flush();
        if (!window.tryAcquire(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          break;
        }
      }
      final long sentAt = intended;
      st.sent++;
      try {
        driver.send(topic, Payload.encode(size, intended, id, seq++), error -> {
          long now = System.nanoTime();
          if (releaseOnAck || error != null) {
            window.release();
          }
          if (error == null) {
            st.acked.incrementAndGet();
            if (now <= end) {
              st.ackedInWindow.incrementAndGet();
            }
            st.pub.record(sentAt, now);
          } else {
            st.errors.incrementAndGet();
          }
        });
      } catch (RuntimeException e) {
        window.release();
        st.errors.incrementAndGet();
      }
    }
    driver.flush();
    // drain: every send settled and every confirmed message received, or the timeout
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    boolean publishOnly = rate < 0;
    while ((st.acked.get() + st.errors.get() < st.sent || (!publishOnly && st.received.get() < st.acked.get()))
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    long missing = st.sent - st.errors.get() - st.received.get();
    if (missing > 0 && !publishOnly) {
      // not received by the drain deadline: at least that late (the newest ones are the missing ones)
      st.e2e.record(end, deadline, missing);
    }
    double seconds = duration.toNanos() / 1e9;
    double drained = (System.nanoTime() - start) / 1e9;
    PhaseResult r = new PhaseResult(rate, seconds, st.sent, st.acked.get(), st.errors.get(), st.received.get(),
        st.ackedInWindow.get() / seconds, st.receivedInWindow.get() / seconds, drained, PhaseResult.processCpuNanos() - cpu0,
        st.e2e.snapshot(), st.pub.snapshot());
    phases.set(id, null);
    return r;
  }

  /** Closes the consumer group's member (best effort); later phases measure the producer alone. */
  void unsubscribe() {
    try {
      if (subscription != null) {
        subscription.close();
      }
    } catch (Exception e) {
      // best effort
    }
    subscription = null;
  }

  @Override
  public void close() {
    long t0 = System.nanoTime();
    unsubscribe();
    long t1 = System.nanoTime();
    try {
      driver.delete(topic, group);
    } catch (RuntimeException e) {
      // best effort
    }
    if (VERBOSE) {
      Main.log(String.format("    %s close: unsubscribe %d ms, delete %d ms", topic, (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000));
    }
  }

  private static final class Stats {
    final long windowEnd;
    final Semaphore window;
    final boolean releaseOnReceipt;
    volatile long sent;
    final AtomicLong acked = new AtomicLong();
    final AtomicLong ackedInWindow = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong received = new AtomicLong();
    final AtomicLong receivedInWindow = new AtomicLong();
    final LatencyRecorder e2e = new LatencyRecorder();
    final LatencyRecorder pub = new LatencyRecorder();

    Stats(long windowEnd, Semaphore window, boolean releaseOnReceipt) {
      this.windowEnd = windowEnd;
      this.window = window;
      this.releaseOnReceipt = releaseOnReceipt;
    }
  }
}
