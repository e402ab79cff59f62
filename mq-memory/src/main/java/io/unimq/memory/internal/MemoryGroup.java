package io.unimq.memory.internal;

import io.unimq.api.Message;
import io.unimq.spi.DeadLetterStore;
import io.unimq.spi.InboundMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One group of one topic: ready messages in publish order, unacked ones per consumer, dead
 * letters. For ordered consumers a key is held by one consumer while it has unacked messages of
 * that key, so same-key messages are never in two consumers at once. Thread-safe.
 */
final class MemoryGroup {
  private static final AtomicLong SEQ = new AtomicLong();

  final String topic;
  final String name;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final TreeMap<Long, Message> ready = new TreeMap<>();
  private final Map<Long, MemoryInbound> unacked = new HashMap<>();
  private final Map<String, KeyHold> holds = new HashMap<>();
  /** Dead letters by a sequence number (their position) in the order they died. */
  private final java.util.TreeMap<Long, Message> dead = new java.util.TreeMap<>();
  private long deadSeq;
  private final AtomicInteger scheduled = new AtomicInteger();

  private record KeyHold(String consumerId, int count) {}

  /** False once deleted (until declared again): it receives nothing and is not listed; its dead letters stay. */
  volatile boolean declared = true;
  /** Consumers open on the group. */
  final AtomicInteger consumers = new AtomicInteger();

  MemoryGroup(String topic, String name) {
    this.topic = topic;
    this.name = name;
  }

  void enqueue(Message m) {
    lock.lock();
    try {
      ready.put(SEQ.incrementAndGet(), m);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void enqueueLater(Message m, long delayMillis) {
    scheduled.incrementAndGet();
    MemoryBroker.later(() -> {
      enqueue(m);
      scheduled.decrementAndGet();
    }, delayMillis);
  }

  /** Up to {@code max} messages for {@code consumer}, waiting at most {@code timeout}. */
  List<InboundMessage> poll(MemoryConsumer consumer, int max, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        List<InboundMessage> out = take(consumer, max);
        if (!out.isEmpty() || consumer.consumeWakeup()) {
          return out;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return out;
        }
        changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
      }
    } finally {
      lock.unlock();
    }
  }

  private List<InboundMessage> take(MemoryConsumer consumer, int max) {
    List<InboundMessage> out = new ArrayList<>();
    Iterator<Map.Entry<Long, Message>> it = ready.entrySet().iterator();
    while (it.hasNext() && out.size() < max) {
      Map.Entry<Long, Message> e = it.next();
      // read before remove: TreeMap may reuse the removed node for the next entry
      long seq = e.getKey();
      Message message = e.getValue();
      String key = message.key();
      if (consumer.ordered && key != null) {
        KeyHold h = holds.get(key);
        if (h != null && !h.consumerId().equals(consumer.id)) {
          continue;
        }
        holds.put(key, new KeyHold(consumer.id, h == null ? 1 : h.count() + 1));
      }
      it.remove();
      MemoryInbound d = new MemoryInbound(this, seq, message, consumer);
      unacked.put(d.seq, d);
      out.add(d);
    }
    return out;
  }

  /** Removes an unacked delivery, back to the ready messages if {@code requeue}; true if it was still unacked. */
  boolean settle(MemoryInbound d, boolean requeue) {
    lock.lock();
    try {
      if (unacked.remove(d.seq) == null) {
        return false;
      }
      String key = d.message.key();
      if (d.consumer.ordered && key != null) {
        KeyHold h = holds.get(key);
        if (h != null) {
          if (h.count() <= 1) {
            holds.remove(key);
          } else {
            holds.put(key, new KeyHold(h.consumerId(), h.count() - 1));
          }
        }
      }
      if (requeue) {
        ready.put(d.seq, d.message);
      }
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Returns every unacked delivery of {@code consumer} to the group, in publish order. */
  void releaseAll(MemoryConsumer consumer) {
    lock.lock();
    try {
      for (MemoryInbound d : List.copyOf(unacked.values())) {
        if (d.consumer == consumer) {
          settle(d, true);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  void wakeAll() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Deletes the group's waiting and in-flight messages and takes it off the topic; dead letters stay. */
  void delete() {
    lock.lock();
    try {
      declared = false;
      ready.clear();
      unacked.clear();
      holds.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  long lag() {
    lock.lock();
    try {
      return ready.size() + unacked.size() + scheduled.get();
    } finally {
      lock.unlock();
    }
  }

  /** Settles {@code d} and schedules {@code next} after {@code delay}, unless {@code d} was settled already. */
  void retryLater(MemoryInbound d, Message next, Duration delay) {
    if (settle(d, false)) {
      enqueueLater(next, Math.max(0, delay.toMillis()));
    }
  }

  /** Settles {@code d} and keeps {@code deadMessage} as a dead letter, in one step, unless {@code d} was settled already. */
  void deadLetter(MemoryInbound d, Message deadMessage) {
    lock.lock();
    try {
      if (settle(d, false)) {
        dead.put(++deadSeq, deadMessage);
      }
    } finally {
      lock.unlock();
    }
  }

  // dead letters

  long deadCount() {
    lock.lock();
    try {
      return dead.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The oldest {@code max} dead letters after position {@code after} (0 for the oldest); a dead
   * letter's position is its sequence number.
   */
  List<DeadLetterStore.DeadLetter> readDead(long after, int max) {
    lock.lock();
    try {
      List<DeadLetterStore.DeadLetter> out = new ArrayList<>();
      for (java.util.Map.Entry<Long, Message> e : dead.tailMap(after, false).entrySet()) {
        if (out.size() >= max) {
          break;
        }
        out.add(new DeadLetterStore.DeadLetter(e.getValue(), e.getKey()));
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** Removes these dead letters wherever they are (those gone already are skipped). */
  void removeDead(List<DeadLetterStore.DeadLetter> letters) {
    lock.lock();
    try {
      for (DeadLetterStore.DeadLetter d : letters) {
        dead.remove((Long) d.position());
      }
    } finally {
      lock.unlock();
    }
  }

  long purgeDead() {
    lock.lock();
    try {
      int n = dead.size();
      dead.clear();
      return n;
    } finally {
      lock.unlock();
    }
  }
}
