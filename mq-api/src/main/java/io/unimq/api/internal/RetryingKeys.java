package io.unimq.api.internal;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps a key's sends in send order while one of them is being retried. Without it, a send retried
 * after a lost connection (with a backoff) lands after the same key's later sends, which were made
 * after the connection came back or whose backoff was shorter, and an ordered group receives the
 * key's messages out of order.
 *
 * <p>When a keyed send fails and will be retried, its key is held by that send: the key's later
 * sends ({@link #holds}) and the retries of its other sends that fail meanwhile ({@link #retrying})
 * wait, in send order. Once the holding send is done, confirmed or failed for good, what waited is
 * published in send order, one by one on the releasing thread, sends made meanwhile joining the end
 * of the queue; the key is free again once the queue is empty. If one of them fails and will be
 * retried, it holds the key in turn and the rest waits for it. Failures of sends that were on their
 * way together may be reported in any order (a transport failing a whole pipeline at once): an
 * earlier send whose failure comes while the holder's retry still waits for its backoff takes the
 * key over, and the holder's retry waits behind it. A send that was already on its way when the key
 * became held and is confirmed before the retry cannot be put back behind it: the order is kept for
 * what is sent or retried after the failure.
 *
 * <p>Costs nothing for sends without a key, and one sequence number plus an emptiness check for keyed
 * sends while no key is held. Thread-safe.
 */
final class RetryingKeys {
  /** A key of a topic. */
  private record TopicKey(String topic, String key) {}

  /** Something waiting for its key: a first attempt or a retry, and its place in send order. */
  private record Waiting(long seq, Runnable publish) {}

  /** The holder's retry during its backoff: run by the timer, unless an earlier send takes the key first. */
  private static final class Backoff implements Runnable {
    private static final int WAITING = 0;
    private static final int STARTED = 1;
    private static final int QUEUED = 2;
    final Runnable retry;
    final AtomicInteger state = new AtomicInteger(WAITING);

    Backoff(Runnable retry) {
      this.retry = retry;
    }

    /** The backoff ended. */
    @Override
    public void run() {
      if (state.compareAndSet(WAITING, STARTED)) {
        retry.run();
      }
    }

    /** Hands the retry to the key's queue instead; false when it has started already. */
    boolean queue() {
      return state.compareAndSet(WAITING, QUEUED);
    }
  }

  /** A held key: the send holding it and what waits. Guarded by itself. */
  private static final class Hold {
    /** The send being retried; -1 while the queue drains. */
    long holder;
    /** The holder's retry while it waits for its backoff. */
    Backoff backoff;
    final PriorityQueue<Waiting> waiting = new PriorityQueue<>(Comparator.comparingLong(Waiting::seq));
    /** Released: a sender that found it in the map must look again. */
    boolean released;

    Hold(long holder) {
      this.holder = holder;
    }
  }

  private final ConcurrentHashMap<TopicKey, Hold> held = new ConcurrentHashMap<>();
  /** Where waiting sends are published once their key is free (in send order, one task). */
  private final Executor releaser;

  RetryingKeys(Executor releaser) {
    this.releaser = releaser;
  }

  /**
   * A send of {@code key} (null: none) numbered {@code seq} is about to be published: returns true,
   * and queues {@code publish}, when the key is held by a retried send.
   */
  boolean holds(String topic, String key, long seq, Runnable publish) {
    if (key == null || held.isEmpty()) {
      return false;
    }
    Hold h = held.get(new TopicKey(topic, key));
    if (h == null) {
      return false;
    }
    synchronized (h) {
      if (h.released) {
        return false;
      }
      h.waiting.add(new Waiting(seq, publish));
      return true;
    }
  }

  /**
   * Send {@code seq} of {@code key} failed and will be retried: returns what to run once the retry's
   * backoff has passed (the key is now held by this send, or already was), or null when {@code retry}
   * was queued behind the send holding the key. What is returned runs {@code retry}, unless an earlier
   * send of the key fails before that and takes the key over: then {@code retry} waits behind it.
   */
  Runnable retrying(String topic, String key, long seq, Runnable retry) {
    if (key == null) {
      return retry;
    }
    TopicKey k = new TopicKey(topic, key);
    while (true) {
      Hold h = held.computeIfAbsent(k, x -> new Hold(seq));
      synchronized (h) {
        if (h.released) {
          continue; // released meanwhile: take the key afresh
        }
        if (h.holder == seq || h.holder == -1) {
          // this send holds the key (or failed while the queue drained: the rest waits for it)
          return hold(h, seq, retry);
        }
        if (seq < h.holder && h.backoff != null && h.backoff.queue()) {
          // an earlier send failed after a later one took the key: the later one's retry waits behind it
          h.waiting.add(new Waiting(h.holder, h.backoff.retry));
          return hold(h, seq, retry);
        }
        h.waiting.add(new Waiting(seq, retry));
        return null;
      }
    }
  }

  private static Runnable hold(Hold h, long seq, Runnable retry) {
    h.holder = seq;
    h.backoff = new Backoff(retry);
    return h.backoff;
  }

  /**
   * Send {@code seq} of {@code key} is done (confirmed, or failed for good): when it held its key,
   * publishes what waited, in send order, and frees the key once nothing waits.
   */
  void done(String topic, String key, long seq) {
    if (key == null || held.isEmpty()) {
      return;
    }
    TopicKey k = new TopicKey(topic, key);
    Hold h = held.get(k);
    if (h == null) {
      return;
    }
    synchronized (h) {
      if (h.holder != seq || h.released) {
        return;
      }
      h.holder = -1;
    }
    releaser.execute(() -> drain(k, h));
  }

  /** Publishes what waits for {@code h}, one at a time in send order, until it is empty (the key is free) or a send holds it again. */
  private void drain(TopicKey k, Hold h) {
    while (true) {
      Runnable next;
      synchronized (h) {
        if (h.holder != -1 || h.released) {
          return;
        }
        Waiting w = h.waiting.poll();
        if (w == null) {
          h.released = true;
          held.remove(k, h);
          return;
        }
        next = w.publish();
      }
      next.run();
    }
  }

  /** Takes {@code publish} out of its key's queue if it still waits there (its send timed out): true if it did. */
  boolean forget(String topic, String key, Runnable publish) {
    Hold h = held.get(new TopicKey(topic, key));
    if (h == null) {
      return false;
    }
    synchronized (h) {
      return h.waiting.removeIf(w -> w.publish() == publish);
    }
  }
}
