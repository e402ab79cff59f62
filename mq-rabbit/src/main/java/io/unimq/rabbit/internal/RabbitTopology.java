package io.unimq.rabbit.internal;

import static io.unimq.rabbit.internal.RabbitNames.deadLetterQueue;
import static io.unimq.rabbit.internal.RabbitNames.exchange;
import static io.unimq.rabbit.internal.RabbitNames.groupQueue;
import static io.unimq.rabbit.internal.RabbitNames.partitionQueue;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.unimq.api.MqAuthorizationException;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.MqConnectionException;
import io.unimq.api.MqException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Declares and inspects unimq's exchanges and queues over one admin channel (for declarations,
 * which can fail and close it: it is reopened on the next call) and one probe channel (passive
 * declarations: a missing queue closes it). Every queue is durable and of one {@link
 * RabbitSettings.QueueType}: classic, or quorum (replicated on a cluster's nodes; RabbitMQ 3.10 or
 * later). Declaring a queue that exists with another type fails with an {@link
 * io.unimq.api.MqConfigurationException} naming it ({@link RabbitErrors#translate}); nothing is
 * re-declared. Thread-safe: each channel is used under its lock.
 */
final class RabbitTopology implements AutoCloseable {
  /** What exists of a group: its plain queue and/or its partition queues. */
  record Layout(boolean plain, int partitions) {
    List<String> queues(String topic, String group) {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < partitions; i++) {
        out.add(partitionQueue(topic, group, i));
      }
      if (plain) {
        out.add(groupQueue(topic, group));
      }
      return out;
    }
  }

  private final Connection connection;
  private final int partitions;
  private final RabbitSettings.QueueType queueType;
  private final DelayLadder ladder;
  private final Object adminLock = new Object();
  private final Object probeLock = new Object();
  private final Set<String> topics = ConcurrentHashMap.newKeySet();
  private Channel admin;
  private Channel probe;

  RabbitTopology(Connection connection, int partitions, RabbitSettings.QueueType queueType, RabbitSettings.QueueType ladderType) {
    this.connection = connection;
    this.partitions = partitions;
    this.queueType = queueType;
    this.ladder = DelayLadder.of(ladderType);
  }

  /** The arguments of a queue of {@code type}: {@code x-queue-type=quorum} for quorum ones, and single-active-consumer if asked. */
  static Map<String, Object> queueArguments(RabbitSettings.QueueType type, boolean singleActive) {
    Map<String, Object> args = new HashMap<>();
    if (type == RabbitSettings.QueueType.QUORUM) {
      args.put("x-queue-type", "quorum");
    }
    if (singleActive) {
      args.put("x-single-active-consumer", true);
    }
    return args;
  }

  RabbitSettings.QueueType queueType() {
    return queueType;
  }

  DelayLadder ladder() {
    return ladder;
  }

  /** Declares a durable queue of this topology's type (for dead letters and half messages). */
  void declarePlainQueue(Channel ch, String queue) throws IOException {
    ch.queueDeclare(queue, true, false, false, queueArguments(queueType, false));
  }

  interface AdminWork<T> {
    T run(Channel ch) throws IOException;
  }

  /** Runs {@code work} on the admin channel, reopening it if a previous error closed it. */
  <T> T admin(String what, AdminWork<T> work) {
    synchronized (adminLock) {
      return RabbitErrors.call(what, () -> {
        if (admin == null || !admin.isOpen()) {
          admin = connection.createChannel();
        }
        return work.run(admin);
      });
    }
  }

  /**
   * Declares the delay ladder unless it is complete already. A broker that refuses the quorum ladder's
   * queues (quorum queues disabled, a policy or a queue in the way) is an {@link
   * MqConfigurationException} naming {@code delayLadder=classic} as the way out.
   */
  void declareLadder() {
    if (exists(ladder.completeMarker(), true)) {
      return;
    }
    try {
      admin("declare the delay ladder " + ladder.entry() + ".*", ch -> {
        ladder.declare(ch);
        return null;
      });
    } catch (MqConnectionException | MqAuthorizationException e) {
      throw e;
    } catch (MqException e) {
      if (ladder != DelayLadder.QUORUM) {
        throw e;
      }
      throw new MqConfigurationException(e.getMessage() + ". The delay ladder (retries, delayed sends) uses quorum"
          + " queues on RabbitMQ 3.10 or later, for at-least-once dead-lettering; if this broker cannot have them, connect with"
          + " delayLadder=classic (at most once: a message moving through the ladder can be lost if the broker crashes)", e);
    }
  }

  /**
   * The topic's direct exchange, bound to the ladder's due exchange for delayed publishes, and its
   * fanout exchange for native consumers ({@link RabbitNames#allExchange}), bound to it with every
   * slot. Cached. Every message carries its slot as routing key and queues bind to exact slots:
   * direct routing is a hash lookup, cheaper for the broker than a topic exchange's pattern match.
   */
  void declareTopic(String topic) {
    if (topics.contains(topic)) {
      return;
    }
    String x = exchange(topic);
    String all = RabbitNames.allExchange(topic);
    admin("declare topic " + topic, ch -> {
      ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT, true);
      ch.exchangeBind(x, ladder.due(), "", DelayLadder.targetMatch(x));
      ch.exchangeDeclare(all, BuiltinExchangeType.FANOUT, true);
      int last = RabbitNames.SLOTS - 1;
      for (int s = 0; s < last; s++) {
        ch.exchangeBindNoWait(all, x, RabbitNames.routingKey(s), null);
      }
      ch.exchangeBind(all, x, RabbitNames.routingKey(last)); // answered after all of them (see bindSlots)
      return null;
    });
    topics.add(topic);
  }

  /**
   * Declares a group: a plain queue bound to every slot, or, when ordered, partition queues with
   * single-active-consumer, slot {@code s} bound to partition {@code s mod N}. An existing layout
   * wins (the first declaration fixes N); an ordered declaration over a plain group adds the
   * partitions and unbinds the plain queue, whose leftovers ordered consumers drain too. Existing
   * queues are bound to this client's delay ladder (a client of the other queue type may have
   * declared them), so that its retries reach them.
   */
  Layout declareGroup(String topic, String group, boolean ordered) {
    declareTopic(topic);
    Layout existing = layout(topic, group);
    return admin("declare group " + topic + "/" + group, ch -> {
      declarePlainQueue(ch, deadLetterQueue(topic, group));
      String x = exchange(topic);
      if (existing.partitions() > 0 || (!ordered && existing.plain())) {
        for (String q : existing.queues(topic, group)) {
          ch.queueBind(q, ladder.due(), "", DelayLadder.targetMatch(q));
        }
        return existing;
      }
      if (!ordered) {
        declareQueue(ch, groupQueue(topic, group), false);
        bindSlots(ch, x, s -> groupQueue(topic, group));
        return new Layout(true, 0);
      }
      for (int i = 0; i < partitions; i++) {
        declareQueue(ch, partitionQueue(topic, group, i), true);
      }
      bindSlots(ch, x, s -> partitionQueue(topic, group, s % partitions));
      if (existing.plain()) {
        for (int s = 0; s < RabbitNames.SLOTS; s++) {
          ch.queueUnbind(groupQueue(topic, group), x, RabbitNames.routingKey(s));
        }
      }
      return new Layout(existing.plain(), partitions);
    });
  }

  /**
   * Binds every slot's routing key to {@code queueOf(slot)}: all but the last without waiting for
   * the broker's reply; the last one waits, and since a channel's commands run in order, its reply
   * (or the channel error of a failed one) comes after all of them.
   */
  private static void bindSlots(Channel ch, String exchange, java.util.function.IntFunction<String> queueOf) throws IOException {
    int last = RabbitNames.SLOTS - 1;
    for (int s = 0; s < last; s++) {
      ch.queueBindNoWait(queueOf.apply(s), exchange, RabbitNames.routingKey(s), null);
    }
    ch.queueBind(queueOf.apply(last), exchange, RabbitNames.routingKey(last));
  }

  private void declareQueue(Channel ch, String queue, boolean singleActive) throws IOException {
    ch.queueDeclare(queue, true, false, false, queueArguments(queueType, singleActive));
    ch.queueBind(queue, ladder.due(), "", DelayLadder.targetMatch(queue));
  }

  /** What exists of the group now. */
  Layout layout(String topic, String group) {
    boolean plain = exists(groupQueue(topic, group), false);
    int n = 0;
    if (exists(partitionQueue(topic, group, 0), false)) {
      if (exists(partitionQueue(topic, group, partitions - 1), false) && !exists(partitionQueue(topic, group, partitions), false)) {
        n = partitions;
      } else {
        n = 1;
        while (n < RabbitNames.SLOTS && exists(partitionQueue(topic, group, n), false)) {
          n++;
        }
      }
    }
    return new Layout(plain, n);
  }

  boolean exists(String name, boolean exchange) {
    return probe(name, exchange) >= 0;
  }

  /** Ready messages in {@code queue}, or -1 if it does not exist. */
  long ready(String queue) {
    return probe(queue, false);
  }

  private long probe(String name, boolean exchange) {
    synchronized (probeLock) {
      return RabbitErrors.call("inspect " + name, () -> {
        if (probe == null || !probe.isOpen()) {
          probe = connection.createChannel();
        }
        try {
          if (exchange) {
            probe.exchangeDeclarePassive(name);
            return 0L;
          }
          return (long) probe.queueDeclarePassive(name).getMessageCount();
        } catch (IOException e) {
          if (RabbitErrors.isNotFound(e)) {
            return -1L;
          }
          throw e;
        }
      });
    }
  }

  @Override
  public void close() {
    RabbitErrors.closeQuietly(admin);
    RabbitErrors.closeQuietly(probe);
  }
}
