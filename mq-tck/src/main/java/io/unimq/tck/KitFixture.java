package io.unimq.tck;

import io.unimq.api.MqClient;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one test of the kit opened: its clients, cleanup actions and background tasks, all closed
 * after the test. Belongs to one {@link MqCompatibilityKit} instance, so to one test.
 */
final class KitFixture {
  private static final Logger log = LoggerFactory.getLogger(MqCompatibilityKit.class);

  private final MqCompatibilityKit kit;
  private final List<MqClient> clients = new CopyOnWriteArrayList<>();
  private final Deque<Runnable> cleanups = new ConcurrentLinkedDeque<>();
  private final ExecutorService background = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "unimq-tck-background");
    t.setDaemon(true);
    return t;
  });
  private volatile MqClient client;
  private volatile TckTimeouts timeouts;

  KitFixture(MqCompatibilityKit kit) {
    this.kit = kit;
  }

  MqClient client() {
    MqClient c = client;
    if (c == null) {
      c = newClient();
      client = c;
    }
    return c;
  }

  MqClient newClient() {
    return track(Objects.requireNonNull(kit.connect(), "connect() returned null"));
  }

  MqClient track(MqClient c) {
    clients.add(c);
    return c;
  }

  void onCleanup(Runnable action) {
    cleanups.push(action);
  }

  TckTimeouts timeouts() {
    TckTimeouts tt = timeouts;
    if (tt == null) {
      tt = Objects.requireNonNull(kit.timeouts(), "timeouts() returned null");
      timeouts = tt;
    }
    return tt;
  }

  <T> Future<T> inBackground(Callable<T> task) {
    return background.submit(task);
  }

  /** Runs the cleanup actions, then closes every client. */
  void close() {
    for (Runnable r; (r = cleanups.poll()) != null; ) {
      try {
        r.run();
      } catch (RuntimeException e) {
        log.warn("tck cleanup action failed", e);
      }
    }
    for (MqClient c : clients) {
      try {
        c.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        log.warn("closing a {} client after the test failed (ignored)", c.scheme(), e);
      }
    }
    clients.clear();
    client = null;
    background.shutdownNow();
  }
}
