package io.unimq.rocketmq.internal;

import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.InboundMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A unimq consumer over one SimpleConsumer per physical topic, all in the group. The proxy holds a
 * receive for at least 5 s when a topic is empty, so one SimpleConsumer cycling through four topics
 * would leave a topic unwatched for seconds; one outstanding long-polling receive per topic keeps
 * latency low without busy polling, and two while messages flow keep the consumer from waiting out a
 * round trip per batch. Received messages wait in a small buffer for {@link #poll};
 * those still there at close or {@link #pause()}, or arriving after it, are released at once (a
 * pause may outlast their invisible time). {@link #close} returns once
 * the acks and releases issued so far are done (at most {@value #SETTLE_WAIT_MILLIS} ms). Thread-safe.
 */
final class RocketConsumer implements io.unimq.spi.TransportConsumer {
  private static final Logger log = LoggerFactory.getLogger(RocketConsumer.class);
  private static final int MAX_BATCH = 32;
  private static final long FAILURE_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** Receives one topic may have outstanding: one long poll, plus those started by {@link #kick}. */
  private static final int MAX_OUTSTANDING = 8;
  /** Receives a busy topic keeps outstanding while messages arrive (an idle one keeps a single long poll). */
  private static final int READ_AHEAD = 2;
  /** How long closing waits for asynchronous acks and invisible-time changes before shutting the clients down. */
  private static final long SETTLE_WAIT_MILLIS = 5_000;

  private final ConsumerSpec spec;
  private final RocketTransport transport;
  private final Duration invisibleTime;
  private final LongAdder inFlight;
  private final List<Lane> lanes = new ArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ready = lock.newCondition();
  private final Deque<RocketInbound> buffer = new ArrayDeque<>();
  private final Set<CompletableFuture<?>> settlements = ConcurrentHashMap.newKeySet();
  private boolean wakeup;
  /** {@link #pause()}d: no receive starts, and what arrives is released at once; guarded by {@link #lock}. */
  private boolean paused;
  private volatile boolean closed;

  RocketConsumer(ConsumerSpec spec, RocketTransport transport, List<SimpleConsumer> consumers, Duration invisibleTime,
      LongAdder inFlight) {
    this.spec = spec;
    this.transport = transport;
    this.invisibleTime = invisibleTime;
    this.inFlight = inFlight;
    for (SimpleConsumer c : consumers) {
      lanes.add(new Lane(c));
    }
  }

  /** One SimpleConsumer (one physical topic) and its outstanding receives. */
  private final class Lane {
    final SimpleConsumer consumer;
    int outstanding;
    int lastMax = 1;
    long pausedUntil;

    Lane(SimpleConsumer consumer) {
      this.consumer = consumer;
    }

    /** Starts a receive (lock held) unless one is outstanding, or {@code extra} and the lane is saturated. */
    void receive(int max, boolean extra) {
      if (closed || paused || (extra ? outstanding >= MAX_OUTSTANDING : outstanding > 0) || System.nanoTime() - pausedUntil < 0) {
        return;
      }
      lastMax = Math.min(MAX_BATCH, Math.max(1, max));
      outstanding++;
      consumer.receiveAsync(lastMax, invisibleTime).whenComplete((views, error) -> arrived(this, views, error));
    }
  }

  /**
   * Starts an extra receive on the topic of {@code consumer} after {@code delay}: the proxy's long
   * poll is not woken when a retried message becomes visible again or when acks unblock a FIFO
   * queue, so without it such messages would wait for the current poll to end (up to 5 s).
   */
  void kick(SimpleConsumer consumer, Duration delay) {
    Runnable r = () -> {
      lock.lock();
      try {
        for (Lane lane : lanes) {
          if (lane.consumer == consumer) {
            lane.receive(lane.lastMax, true);
          }
        }
      } finally {
        lock.unlock();
      }
    };
    if (delay.isZero()) {
      r.run();
    } else {
      transport.schedule(r, delay);
    }
  }

  private void arrived(Lane lane, List<MessageView> views, Throwable error) {
    List<RocketInbound> late = new ArrayList<>();
    boolean idle;
    lock.lock();
    try {
      lane.outstanding--;
      idle = lane.outstanding == 0;
      if (error != null) {
        if (!closed) {
          log.warn("receive for {}/{} failed, retrying in 1 s: {}", spec.topic(), spec.group(), RocketErrors.unwrap(error).toString());
        }
        lane.pausedUntil = System.nanoTime() + FAILURE_PAUSE_NANOS;
      } else {
        for (MessageView v : views) {
          RocketInbound in = transport.inbound(spec, v, lane.consumer, inFlight, this);
          if (PhysicalTopic.isReplayForAnother(v.getTag().orElse(null), spec.group())) {
            in.ack(); // replayed from another group's dead letters: for that group only
            continue;
          }
          (closed || paused ? late : buffer).add(in);
        }
        if (!views.isEmpty() && lane.outstanding < READ_AHEAD && buffer.size() < spec.prefetch()) {
          // messages are flowing: the next receive goes out now instead of after the engine took
          // these, so that READ_AHEAD receives overlap like a consumer with two receive loops (waiting
          // for full batches would serialise the receives at low rates, where most batches are partial)
          lane.receive(lane.lastMax, true);
        }
      }
      ready.signalAll();
    } finally {
      lock.unlock();
    }
    late.forEach(RocketConsumer::releaseQuietly);
    if (closed && idle) {
      closeAfterSettlements(lane.consumer);
    }
  }

  @Override
  public List<InboundMessage> poll(int max, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (buffer.isEmpty() && !wakeup && !closed) {
        for (Lane lane : lanes) {
          lane.receive(max, false);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        ready.awaitNanos(Math.min(left, FAILURE_PAUSE_NANOS));
      }
      wakeup = false;
      List<InboundMessage> out = new ArrayList<>(Math.min(max, buffer.size()));
      while (out.size() < max && !buffer.isEmpty()) {
        out.add(buffer.poll());
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void wakeup() {
    lock.lock();
    try {
      wakeup = true;
      ready.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Stops receiving and releases the buffer: paused, nothing waits out its invisible time here. */
  @Override
  public void pause() {
    List<RocketInbound> left;
    lock.lock();
    try {
      paused = true;
      left = new ArrayList<>(buffer);
      buffer.clear();
    } finally {
      lock.unlock();
    }
    left.forEach(RocketConsumer::releaseQuietly);
  }

  @Override
  public void resume() {
    lock.lock();
    try {
      paused = false;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    List<RocketInbound> left;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      left = new ArrayList<>(buffer);
      buffer.clear();
      ready.signalAll();
    } finally {
      lock.unlock();
    }
    left.forEach(RocketConsumer::releaseQuietly);
    awaitSettlements();
    for (Lane lane : lanes) {
      closeWhenIdle(lane);
    }
  }

  /**
   * Waits (at most {@value #SETTLE_WAIT_MILLIS} ms) for the acks and releases issued so far, so that
   * a closed subscription's messages are settled when close returns: a client closed, or a topic
   * deleted, right after it must not turn them into failed acks and redeliveries.
   */
  private void awaitSettlements() {
    try {
      CompletableFuture.allOf(settlements.toArray(new CompletableFuture<?>[0])).get(SETTLE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // each failure was logged where it happened; the messages come back after their invisible time
    }
  }

  /** Closes the lane's SimpleConsumer once no receive is outstanding (a late receive releases what it got first). */
  private void closeWhenIdle(Lane lane) {
    lock.lock();
    try {
      if (lane.outstanding > 0) {
        return; // arrived() closes it
      }
    } finally {
      lock.unlock();
    }
    closeAfterSettlements(lane.consumer);
  }

  /** Tracks an asynchronous settlement so that closing waits for it. */
  void track(CompletableFuture<?> settlement) {
    settlements.add(settlement);
    settlement.whenComplete((v, e) -> settlements.remove(settlement));
  }

  /** Closes {@code consumer} once the settlements issued so far are done (or after a bounded wait). */
  private void closeAfterSettlements(SimpleConsumer consumer) {
    CompletableFuture.allOf(settlements.toArray(new CompletableFuture<?>[0]))
        .completeOnTimeout(null, SETTLE_WAIT_MILLIS, TimeUnit.MILLISECONDS)
        .whenComplete((v, e) -> transport.closeQuietly(consumer));
  }

  private static void releaseQuietly(RocketInbound in) {
    try {
      in.release();
    } catch (RuntimeException e) {
      log.debug("release failed; the message becomes visible when its invisible time ends: {}", e.toString());
    }
  }
}
