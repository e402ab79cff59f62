package io.unimq.memory.internal;

import io.unimq.api.GroupInfo;
import io.unimq.api.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One named in-process broker: topics, their groups, a timer for delays, half messages. Thread-safe.
 */
final class MemoryBroker {
  private static final Map<String, MemoryBroker> BROKERS = new ConcurrentHashMap<>();
  static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "unimq-memory-timer");
    t.setDaemon(true);
    return t;
  });

  private final String name;
  private final Map<String, Map<String, MemoryGroup>> topics = new ConcurrentHashMap<>();
  final MemoryHalfStore halfStore = new MemoryHalfStore();

  private MemoryBroker(String name) {
    this.name = name;
  }

  static MemoryBroker named(String name) {
    return BROKERS.computeIfAbsent(name, MemoryBroker::new);
  }

  String name() {
    return name;
  }

  void declareTopic(String topic) {
    topics.computeIfAbsent(topic, t -> new ConcurrentHashMap<>());
  }

  MemoryGroup declareGroup(String topic, String group) {
    MemoryGroup g = group(topic, group);
    g.declared = true;
    return g;
  }

  /** The group, created (declared) when missing; a deleted one stays deleted. */
  MemoryGroup group(String topic, String group) {
    return topics.computeIfAbsent(topic, t -> new ConcurrentHashMap<>())
        .computeIfAbsent(group, g -> new MemoryGroup(topic, g));
  }

  List<String> topics() {
    return List.copyOf(topics.keySet());
  }

  List<GroupInfo> groups(String topic) {
    Map<String, MemoryGroup> groups = topics.get(topic);
    if (groups == null) {
      return List.of();
    }
    List<GroupInfo> out = new ArrayList<>();
    for (MemoryGroup g : groups.values()) {
      if (g.declared) {
        out.add(new GroupInfo(g.name, g.consumers.get(), g.lag()));
      }
    }
    return out;
  }

  void deleteGroup(String topic, String group) {
    Map<String, MemoryGroup> groups = topics.get(topic);
    MemoryGroup g = groups == null ? null : groups.get(group);
    if (g != null) {
      g.delete();
    }
  }

  /** Delivers to the groups that exist now; a future due time delays each group's copy. */
  void publish(Message m) {
    Collection<MemoryGroup> groups = List.copyOf(topics.computeIfAbsent(m.topic(), t -> new ConcurrentHashMap<>()).values());
    Instant due = m.deliverAt();
    // round up: never early
    long delay = due == null ? 0 : Math.max(0, (Duration.between(Instant.now(), due).toNanos() + 999_999) / 1_000_000);
    for (MemoryGroup g : groups) {
      if (!g.declared) {
        continue;
      }
      if (delay > 0) {
        g.enqueueLater(m, delay);
      } else {
        g.enqueue(m);
      }
    }
  }

  static void later(Runnable r, long millis) {
    TIMER.schedule(r, millis, TimeUnit.MILLISECONDS);
  }
}
