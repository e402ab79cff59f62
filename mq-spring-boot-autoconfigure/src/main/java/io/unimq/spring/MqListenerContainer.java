package io.unimq.spring;

import io.unimq.api.Delivery;
import io.unimq.api.MessageHandler;
import io.unimq.api.MqClient;
import io.unimq.api.MqException;
import io.unimq.api.Subscription;
import io.unimq.api.SubscriptionOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@link MqListener} method's subscription: started and stopped by the {@link MqListenerRegistry},
 * with counts of the calls that returned and that threw. Thread-safe.
 */
public final class MqListenerContainer {

  private final String id;
  private final String topic;
  private final String group;
  private final SubscriptionOptions options;
  private final boolean autoStartup;
  private final MessageHandler handler;
  private final MqClient client;
  private final AtomicLong handled = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Object progress = new Object();
  private volatile Subscription subscription;

  public MqListenerContainer(String id, String topic, String group, SubscriptionOptions options, boolean autoStartup,
      MessageHandler handler, MqClient client) {
    this.id = id;
    this.topic = topic;
    this.group = group;
    this.options = options;
    this.autoStartup = autoStartup;
    this.handler = handler;
    this.client = client;
  }

  public String id() {
    return id;
  }

  public String topic() {
    return topic;
  }

  public String group() {
    return group;
  }

  public SubscriptionOptions options() {
    return options;
  }

  public boolean autoStartup() {
    return autoStartup;
  }

  /** Whether the subscription is open. */
  public boolean isRunning() {
    Subscription s = subscription;
    return s != null && !s.isClosed();
  }

  /** Calls of the method that returned normally (each one acked the message, in the default ack mode). */
  public long handledCount() {
    return handled.get();
  }

  /** Calls of the method that threw (each one retried or dead-lettered by the retry policy). */
  public long failedCount() {
    return failed.get();
  }

  /** Messages fetched and not yet acked by the subscription; 0 when stopped. */
  public int inFlight() {
    Subscription s = subscription;
    return s == null ? 0 : s.inFlight();
  }

  /** Subscribes (declaring the group if needed); a no-op when running. */
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    subscription = client.subscribe(topic, group, options, this::handle);
  }

  /** Closes the subscription, waiting for in-flight calls up to the drain timeout; a no-op when stopped. */
  public synchronized void stop() {
    Subscription s = subscription;
    if (s != null) {
      s.close();
    }
  }

  /**
   * Waits until the method has returned normally at least {@code count} times in all (a testing aid).
   *
   * @throws MqException {@code timeout} passed first; the message tells the counts reached
   */
  public void awaitHandled(long count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (handled.get() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new MqException("listener '" + id + "' handled " + handled.get() + " of " + count + " message(s) within "
              + timeout + " (" + failed.get() + " call(s) threw; running: " + isRunning() + ")");
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(progress, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new MqException("interrupted while waiting for listener '" + id + "'", e);
        }
      }
    }
  }

  private void handle(Delivery delivery) throws Exception {
    try {
      handler.handle(delivery);
    } catch (Exception | Error e) {
      failed.incrementAndGet();
      throw e;
    }
    handled.incrementAndGet();
    synchronized (progress) {
      progress.notifyAll();
    }
  }

  @Override
  public String toString() {
    return "MqListenerContainer{id=" + id + ", topic=" + topic + ", group=" + group + ", running=" + isRunning() + '}';
  }
}
