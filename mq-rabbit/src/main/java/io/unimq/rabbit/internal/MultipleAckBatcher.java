package io.unimq.rabbit.internal;

import com.rabbitmq.client.Channel;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coalesces the acks of one consumer channel. Settled tags wait up to {@link #FLUSH_MILLIS} (or until
 * {@link #BATCH} of them) and then go out as one {@code basic.ack(multiple=true)} for the prefix below
 * the oldest delivery still unsettled. Tags settled above that delivery wait for it, as single acks
 * would cost the broker one operation each; but when it stays unsettled for {@link #STUCK_MILLIS}
 * (a slow handler), or {@link #HOLD_LIMIT} tags wait behind it, they go out as single acks, so that
 * held acks never starve the channel's qos. A tag is acked only once settled (at-least-once), and a
 * requeue goes out at once. Every use of the channel for acks is under one lock. Thread-safe.
 *
 * <p>Delivery tags are per channel: after the connection recovers, the channel numbers its deliveries
 * from 1 again. Each delivery therefore carries the epoch it arrived in ({@link #delivered}), and
 * {@link #reset()} starts a new one: settling a delivery of an earlier epoch does nothing (the broker
 * redelivers it), so it can neither ack another message that reuses its tag nor close the channel
 * with "unknown delivery tag".
 */
final class MultipleAckBatcher {
  private static final Logger log = LoggerFactory.getLogger(MultipleAckBatcher.class);
  static final int BATCH = 32;
  static final long FLUSH_MILLIS = 5;
  static final long STUCK_MILLIS = 50;
  static final int HOLD_LIMIT = 128;

  private final Channel channel;
  private final ScheduledExecutorService timer;
  private final Object lock = new Object();
  private final ConcurrentSkipListSet<Long> open = new ConcurrentSkipListSet<>();
  private final TreeSet<Long> settled = new TreeSet<>();
  private boolean flushScheduled;
  /** The oldest unsettled tag seen by the last flush, and since when it has been the oldest. */
  private long stuckTag = -1;
  private long stuckSince;
  /** Incremented by {@link #reset()}; guarded by {@link #lock}. */
  private long epoch;

  MultipleAckBatcher(Channel channel, ScheduledExecutorService timer) {
    this.channel = channel;
    this.timer = timer;
  }

  /** Delivery thread: {@code tag} was delivered and is not settled yet; returns the epoch to settle it with. */
  long delivered(long tag) {
    synchronized (lock) {
      open.add(tag);
      return epoch;
    }
  }

  /** Any thread: acks {@code tag} of {@code epoch}, soon. */
  void ack(long tag, long epoch) {
    synchronized (lock) {
      if (epoch != this.epoch || !open.remove(tag)) {
        return; // the channel was reset meanwhile: the broker redelivers it
      }
      settled.add(tag);
      if (settled.size() >= BATCH) {
        flushLocked();
      } else if (!flushScheduled) {
        flushScheduled = true;
        timer.schedule(this::flush, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
      }
    }
  }

  /** Any thread: returns {@code tag} of {@code epoch} to the queue now. */
  void requeue(long tag, long epoch) {
    synchronized (lock) {
      if (epoch != this.epoch || !open.remove(tag)) {
        return; // the channel was reset meanwhile (the broker redelivers it), or the tag is settled already
      }
      RabbitErrors.io("requeue", () -> channel.basicNack(tag, false, true));
    }
  }

  /** Sends the acks waiting; any thread. */
  void flush() {
    send(false);
  }

  /**
   * Sends every ack waiting, also those held behind an unsettled delivery (the consumer is closing:
   * what its handlers finished must not come back). Any thread.
   */
  void flushAll() {
    send(true);
  }

  private void send(boolean all) {
    synchronized (lock) {
      flushScheduled = false;
      try {
        flushLocked(all);
      } catch (RuntimeException e) {
        log.debug("acks not sent ({}); the broker redelivers those messages", e.toString());
      }
    }
  }

  /** The channel closed: nothing pending is acked any more (the broker redelivers it). */
  void reset() {
    synchronized (lock) {
      epoch++;
      open.clear();
      settled.clear();
    }
  }

  private void flushLocked() {
    flushLocked(false);
  }

  private void flushLocked(boolean all) {
    if (settled.isEmpty()) {
      return;
    }
    Long oldestOpen = open.isEmpty() ? null : open.first();
    Long prefix = oldestOpen == null ? settled.last() : settled.lower(oldestOpen);
    if (prefix != null) {
      long upTo = prefix;
      try {
        RabbitErrors.io("ack", () -> channel.basicAck(upTo, true));
      } finally {
        settled.headSet(upTo, true).clear();
      }
    }
    if (settled.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    long oldest = oldestOpen; // not null: with nothing open, the prefix took every settled tag
    if (oldest != stuckTag) {
      stuckTag = oldest;
      stuckSince = now;
    }
    if (all || settled.size() >= HOLD_LIMIT || now - stuckSince >= TimeUnit.MILLISECONDS.toNanos(STUCK_MILLIS)) {
      try {
        for (Long tag : settled) {
          RabbitErrors.io("ack", () -> channel.basicAck(tag, false));
        }
      } finally {
        settled.clear();
      }
    } else if (!flushScheduled) {
      flushScheduled = true; // look again soon: the oldest delivery may settle meanwhile
      timer.schedule(this::flush, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }
  }
}
