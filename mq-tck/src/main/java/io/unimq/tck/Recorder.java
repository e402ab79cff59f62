package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import io.unimq.api.MessageHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Collects what handlers receive, across any number of consumers, and waits for it. Each delivery
 * is recorded when its handler starts, with the consumer's name, the attempt and the time. It also
 * tracks how many handlers run at once, overall and per key. Thread-safe.
 *
 * <pre>{@code
 * Recorder r = recorder();
 * client.subscribe(topic, group, r.handler("a"));
 * r.awaitIds(sentIds, Duration.ofSeconds(10));
 * }</pre>
 */
public final class Recorder {
  /** Header the kit uses for a per-key sequence number. */
  public static final String SEQ = "tck-seq";

  /** One delivery as seen by a handler when it started. */
  public record Received(String consumer, String group, Message message, int attempt, long nanoTime, Instant at) {
    public String id() {
      return message.id();
    }

    public String topic() {
      return message.topic();
    }

    public String key() {
      return message.key();
    }

    public String header(String name) {
      return message.header(name);
    }

    public String body() {
      return message.bodyAsString();
    }

    /** The {@value Recorder#SEQ} header as a number. */
    public int seq() {
      String s = message.header(SEQ);
      if (s == null) {
        throw new AssertionError("message " + message.id() + " has no " + SEQ + " header");
      }
      return Integer.parseInt(s);
    }
  }

  private final TckTimeouts timeouts;
  private final List<Received> received = new ArrayList<>();
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger maxActive = new AtomicInteger();
  private final Map<String, AtomicInteger> activeByKey = new ConcurrentHashMap<>();
  private final AtomicInteger sameKeyOverlaps = new AtomicInteger();

  public Recorder(TckTimeouts timeouts) {
    this.timeouts = timeouts;
  }

  /** Records each delivery and returns normally (ack). */
  public MessageHandler handler(String consumer) {
    return handler(consumer, d -> {});
  }

  /** Records each delivery, then runs {@code then}, whose outcome (return or throw) is the handler's. */
  public MessageHandler handler(String consumer, MessageHandler then) {
    return delivery -> {
      Received r = new Received(consumer, delivery.group(), delivery.message(), delivery.attempt(),
          System.nanoTime(), Instant.now());
      String key = r.key();
      AtomicInteger perKey = key == null ? null : activeByKey.computeIfAbsent(key, k -> new AtomicInteger());
      maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
      if (perKey != null && perKey.incrementAndGet() > 1) {
        sameKeyOverlaps.incrementAndGet();
      }
      synchronized (received) {
        received.add(r);
      }
      try {
        then.handle(delivery);
      } finally {
        if (perKey != null) {
          perKey.decrementAndGet();
        }
        active.decrementAndGet();
      }
    };
  }

  /** Every delivery so far, in the order handlers started. */
  public List<Received> all() {
    synchronized (received) {
      return new ArrayList<>(received);
    }
  }

  public int count() {
    synchronized (received) {
      return received.size();
    }
  }

  /** Ids of every delivery, in order, with repeats. */
  public List<String> ids() {
    return all().stream().map(Received::id).collect(Collectors.toList());
  }

  public Set<String> distinctIds() {
    return new LinkedHashSet<>(ids());
  }

  /** Deliveries of one message id, in order. */
  public List<Received> of(String id) {
    return all().stream().filter(r -> r.id().equals(id)).collect(Collectors.toList());
  }

  /** Deliveries per consumer name. */
  public Map<String, List<Received>> byConsumer() {
    Map<String, List<Received>> out = new TreeMap<>();
    for (Received r : all()) {
      out.computeIfAbsent(r.consumer(), c -> new ArrayList<>()).add(r);
    }
    return out;
  }

  /** The {@value #SEQ} numbers seen per key, in the order their handlers started. */
  public Map<String, List<Integer>> seqsByKey() {
    Map<String, List<Integer>> out = new TreeMap<>();
    for (Received r : all()) {
      out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.seq());
    }
    return out;
  }

  /** Ids delivered more than once, with their delivery counts. */
  public Map<String, Long> duplicates() {
    Map<String, Long> counts = all().stream()
        .collect(Collectors.groupingBy(Received::id, LinkedHashMap::new, Collectors.counting()));
    counts.values().removeIf(n -> n < 2);
    return counts;
  }

  /** The most handlers that ran at once. */
  public int maxConcurrent() {
    return maxActive.get();
  }

  /** How often a handler started while another handler of the same key was running. */
  public int sameKeyOverlaps() {
    return sameKeyOverlaps.get();
  }

  /** Waits (scaled) until at least {@code n} deliveries were recorded. */
  public void awaitCount(int n, Duration atMost) {
    timeouts.await(n + " deliveries", atMost).untilAsserted(() -> {
      int c = count();
      assertThat(c).as("deliveries so far (waiting for %d)", n).isGreaterThanOrEqualTo(n);
    });
  }

  /** Waits (scaled) until every id in {@code ids} was delivered at least once. */
  public void awaitIds(Collection<String> ids, Duration atMost) {
    timeouts.await(ids.size() + " distinct messages", atMost).untilAsserted(() -> {
      Set<String> seen = distinctIds();
      List<String> missing = ids.stream().filter(id -> !seen.contains(id)).collect(Collectors.toList());
      assertThat(missing)
          .as("%d of %d messages not delivered yet (showing at most 5): %s", missing.size(), ids.size(),
              missing.subList(0, Math.min(5, missing.size())))
          .isEmpty();
    });
  }

  /** Waits (scaled) until message {@code id} was delivered at least {@code times} times. */
  public List<Received> awaitDeliveries(String id, int times, Duration atMost) {
    timeouts.await(times + " deliveries of " + id, atMost).untilAsserted(() ->
        assertThat(of(id)).as("deliveries of %s so far", id).hasSizeGreaterThanOrEqualTo(times));
    return of(id);
  }

  /** Checks that no further delivery is recorded during {@code period} (not scaled). */
  public void assertNoMoreFor(Duration period) {
    int before = count();
    timeouts.holdsFor("no further delivery", period, () ->
        assertThat(count()).as("deliveries (expected no more than %d during %s)", before, period).isEqualTo(before));
  }
}
