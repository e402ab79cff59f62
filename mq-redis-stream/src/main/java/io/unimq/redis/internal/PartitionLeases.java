package io.unimq.redis.internal;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions an ordered consumer owns: one lease per partition and group
 * ({@code SET NX PX}, renewed every third of the lease), so each partition has one active consumer
 * at a time. Consumers of a group heartbeat into a members set and each aims at its fair share
 * (partitions / live members): one with too many stops reading the surplus, lets its in-flight
 * entries settle, then gives the lease up; a new owner first takes over every pending entry of the
 * partition (dead owner's included) and re-reads them in order before new ones. Acquisition and
 * hand-over run on the poll thread; renewal on the maintenance thread. Thread-safe.
 */
final class PartitionLeases {
  private static final Logger log = LoggerFactory.getLogger(PartitionLeases.class);
  private static final long REBALANCE_MS = 500;

  /** A held partition; {@code cursor} is the last re-read pending id, null once reading new entries. */
  static final class Held {
    final int index;
    final String stream;
    volatile String cursor = "0-0";
    volatile boolean draining;

    Held(int index, String stream) {
      this.index = index;
      this.stream = stream;
    }
  }

  private final RedisTransport transport;
  private final String topic;
  private final String group;
  private final String me;
  private final int partitions;
  private final long leaseMs;
  private final ToIntFunction<String> inFlight;
  private final Map<Integer, Held> held = new ConcurrentHashMap<>();
  private long nextRebalance;

  PartitionLeases(RedisTransport transport, String topic, String group, String me, int partitions, ToIntFunction<String> inFlight) {
    this.transport = transport;
    this.topic = topic;
    this.group = group;
    this.me = me;
    this.partitions = partitions;
    this.leaseMs = transport.settings.lease().toMillis();
    this.inFlight = inFlight;
  }

  /** The partitions to read now, in a stable order. */
  List<Held> readable() {
    List<Held> out = new ArrayList<>();
    for (Held h : held.values()) {
      if (!h.draining) {
        out.add(h);
      }
    }
    return out;
  }

  private long heartbeat() {
    Long members = transport.script(Scripts.HEARTBEAT, ScriptOutputType.INTEGER, List.of(Keys.members(topic, group)), List.of(me, leaseMs));
    return Math.max(1, members);
  }

  /** Acquires free partitions up to the fair share and hands surplus ones over; at most every 500 ms unless forced. */
  void rebalance(boolean force) {
    long now = System.currentTimeMillis();
    if (!force && now < nextRebalance) {
      return;
    }
    nextRebalance = now + REBALANCE_MS;
    long members = heartbeat();
    int share = (int) ((partitions + members - 1) / members);
    List<Held> active = readable();
    for (int i = share; i < active.size(); i++) {
      active.get(i).draining = true;
    }
    for (Held h : List.copyOf(held.values())) {
      if (h.draining && inFlight.applyAsInt(h.stream) == 0) {
        held.remove(h.index);
        transport.script(Scripts.RELEASE, ScriptOutputType.INTEGER, List.of(Keys.lease(topic, group, h.index)), List.of(me));
        log.debug("{} handed partition {} of {}/{} over", me, h.index, topic, group);
      }
    }
    int start = ThreadLocalRandom.current().nextInt(partitions);
    for (int k = 0; k < partitions && readable().size() < share; k++) {
      int i = (start + k) % partitions;
      if (held.containsKey(i)) {
        continue;
      }
      String ok = transport.redis.set(Keys.lease(topic, group, i), me.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          SetArgs.Builder.nx().px(leaseMs));
      if ("OK".equals(ok)) {
        String stream = Keys.partition(topic, i);
        Long claimed = transport.script(Scripts.CLAIM_ALL, ScriptOutputType.INTEGER, List.of(stream), List.of(group, me));
        held.put(i, new Held(i, stream));
        log.debug("{} owns partition {} of {}/{} ({} pending entries taken over)", me, i, topic, group, claimed);
      }
    }
  }

  /** Renews every lease still ours; a lease lost (this process stalled past it) stops that partition. */
  void renew() {
    heartbeat();
    for (Held h : List.copyOf(held.values())) {
      Long ok = transport.script(Scripts.RENEW, ScriptOutputType.INTEGER, List.of(Keys.lease(topic, group, h.index)), List.of(me, leaseMs));
      if (ok == 0) {
        held.remove(h.index);
        log.warn("{} lost its lease on partition {} of {}/{}; another consumer owns it now", me, h.index, topic, group);
      }
    }
  }

  /** Gives every lease up and leaves the members set. */
  void close() {
    for (Held h : List.copyOf(held.values())) {
      held.remove(h.index);
      transport.script(Scripts.RELEASE, ScriptOutputType.INTEGER, List.of(Keys.lease(topic, group, h.index)), List.of(me));
    }
    transport.redis.zrem(Keys.members(topic, group), me.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
