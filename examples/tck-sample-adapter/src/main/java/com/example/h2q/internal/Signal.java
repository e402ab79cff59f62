package com.example.h2q.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wakes the consumers of one database in this JVM when something may have become ready, so that
 * they wait instead of polling the table in a loop. Consumers in other processes would rely on
 * their poll interval alone. Thread-safe.
 */
final class Signal {
  private static final Map<String, Signal> BY_URL = new ConcurrentHashMap<>();
  private long version;

  static Signal of(String url) {
    return BY_URL.computeIfAbsent(url, u -> new Signal());
  }

  synchronized long version() {
    return version;
  }

  synchronized void fire() {
    version++;
    notifyAll();
  }

  /** Waits up to {@code millis} unless fired since {@code seen} was read. */
  synchronized void await(long seen, long millis) throws InterruptedException {
    if (version == seen && millis > 0) {
      wait(millis);
    }
  }
}
