package io.unimq.spring;

import io.unimq.api.MqConfigurationException;
import io.unimq.api.MqException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Every {@link MqListener} of the application context. Starts their subscriptions after the rest of
 * the context (the web server included) has started, in phase {@link #PHASE}, and closes them first
 * on shutdown, before Boot's graceful shutdown of the web server and before data sources and the
 * client close: each subscription stops fetching and waits for its in-flight calls up to its drain
 * timeout; they close in parallel. Thread-safe.
 */
public class MqListenerRegistry implements SmartLifecycle {

  /** Above the web server's graceful shutdown phase, so listeners stop first and start last. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

  private static final Logger log = LoggerFactory.getLogger(MqListenerRegistry.class);

  private final Map<String, MqListenerContainer> containers = Collections.synchronizedMap(new LinkedHashMap<>());
  private volatile boolean running;

  /** Adds a container; it starts with the context (or at once when the context is already running). */
  public void register(MqListenerContainer container) {
    MqListenerContainer previous = containers.putIfAbsent(container.id(), container);
    if (previous != null) {
      throw new MqConfigurationException("two @MqListener methods have the id '" + container.id()
          + "'; give one of them another id = \"...\"");
    }
    if (running && container.autoStartup()) {
      container.start();
    }
  }

  public List<MqListenerContainer> containers() {
    synchronized (containers) {
      return List.copyOf(containers.values());
    }
  }

  /**
   * The container of listener {@code id}.
   *
   * @throws MqConfigurationException no such listener; the message lists the ids there are
   */
  public MqListenerContainer container(String id) {
    MqListenerContainer c = containers.get(id);
    if (c == null) {
      throw new MqConfigurationException("no @MqListener with id '" + id + "'; the ids are " + containers.keySet());
    }
    return c;
  }

  /**
   * Waits until listener {@code id} has handled at least {@code count} messages in all (a testing aid).
   *
   * @throws MqException {@code timeout} passed first
   */
  public void awaitHandled(String id, long count, Duration timeout) {
    container(id).awaitHandled(count, timeout);
  }

  @Override
  public void start() {
    for (MqListenerContainer c : containers()) {
      if (c.autoStartup()) {
        c.start();
      }
    }
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    Collection<MqListenerContainer> all = containers();
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (MqListenerContainer c : all) {
      closing.add(CompletableFuture.runAsync(() -> {
        try {
          c.stop();
        } catch (RuntimeException e) {
          log.warn("closing listener {} failed: {}", c.id(), e.toString());
        }
      }, r -> {
        Thread t = new Thread(r, "unimq-listener-stop-" + c.id());
        t.start();
      }));
    }
    CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).join();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
