package io.unimq.redis.internal;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves due delayed messages and retries of the topics this client uses from their sorted set into
 * their target stream with {@link Scripts#MOVE_DUE} (ZRANGEBYSCORE, XADD, ZREM in one script, so
 * any number of movers in any number of processes move each entry exactly once). It sleeps until
 * the earliest due time and is woken early by a local schedule or by the {@link Keys#WAKE_CHANNEL}
 * notice that every schedule publishes; it also wakes every {@link #MAX_SLEEP_MS} as a safety net.
 * The schedule lives in Redis, so it survives client restarts. Thread-safe.
 */
final class DelayMover implements Runnable {
  static final long MAX_SLEEP_MS = 5000;
  private static final Logger log = LoggerFactory.getLogger(DelayMover.class);
  private static final int BATCH = 200;

  private final RedisTransport transport;
  private final StatefulRedisPubSubConnection<String, byte[]> pubsub;
  private final Set<String> topics = ConcurrentHashMap.newKeySet();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final Thread thread;
  private boolean kicked;
  private volatile boolean closed;

  DelayMover(RedisTransport transport, StatefulRedisPubSubConnection<String, byte[]> pubsub) {
    this.transport = transport;
    this.pubsub = pubsub;
    pubsub.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String channel, byte[] message) {
        if (topics.contains(new String(message, StandardCharsets.UTF_8))) {
          kick();
        }
      }
    });
    pubsub.sync().subscribe(Keys.WAKE_CHANNEL);
    this.thread = new Thread(this, "unimq-redis-delay-mover");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts moving the schedule of {@code topic}. */
  void track(String topic) {
    if (topics.add(topic)) {
      kick();
    }
  }

  /** A new entry was scheduled for {@code topic} by this client. */
  void scheduled(String topic) {
    track(topic);
    kick();
  }

  private void kick() {
    lock.lock();
    try {
      kicked = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** One pass over every topic; returns how long to sleep. */
  long moveDue() {
    long sleep = MAX_SLEEP_MS;
    for (String topic : topics) {
      List<Object> r = transport.script(Scripts.MOVE_DUE, ScriptOutputType.MULTI,
          List.of(Keys.schedule(topic), Keys.scheduleData(topic), Keys.scheduleCounts(topic)), List.of(BATCH));
      long moved = (Long) r.get(0);
      long wait = (Long) r.get(1);
      if (moved >= BATCH) {
        sleep = 0;
      } else if (wait >= 0) {
        sleep = Math.min(sleep, wait);
      }
    }
    return sleep;
  }

  @Override
  public void run() {
    while (!closed) {
      long sleep;
      try {
        sleep = moveDue();
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        log.debug("moving due entries failed, retrying in 1 s: {}", e.toString());
        sleep = 1000;
      }
      lock.lock();
      try {
        if (!kicked && sleep > 0 && !closed) {
          wake.await(sleep, TimeUnit.MILLISECONDS);
        }
        kicked = false;
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
    }
  }

  void close() {
    closed = true;
    kick();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pubsub.close();
  }
}
