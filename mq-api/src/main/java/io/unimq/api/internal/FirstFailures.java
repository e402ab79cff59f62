package io.unimq.api.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When retried messages first failed, for transports whose retry redelivers the original message
 * without the engine's headers (see {@code InboundMessage.retryCarriesHeaders}): recorded when such a
 * message is retried, read when it comes back, dropped when it is settled for good. Keyed by group
 * and message id; holds at most {@code capacity} entries, evicting the least recently used, and
 * lives in this process only (elsewhere the time restarts at the next failure). Thread-safe.
 */
final class FirstFailures {
  private final Map<String, Long> times;

  FirstFailures(int capacity) {
    this.times = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
        return size() > capacity;
      }
    };
  }

  /** Remembers that message {@code id} of {@code group} first failed at {@code epochMillis}. */
  void remember(String group, String id, long epochMillis) {
    synchronized (times) {
      times.put(key(group, id), epochMillis);
    }
  }

  /** When message {@code id} of {@code group} first failed, or 0 when not known here. */
  long get(String group, String id) {
    synchronized (times) {
      Long t = times.get(key(group, id));
      return t == null ? 0 : t;
    }
  }

  void forget(String group, String id) {
    synchronized (times) {
      times.remove(key(group, id));
    }
  }

  private static String key(String group, String id) {
    return group + '\u0000' + id;
  }
}
