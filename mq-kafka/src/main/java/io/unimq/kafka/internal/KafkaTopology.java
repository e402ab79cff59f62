package io.unimq.kafka.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownMemberIdException;

/**
 * Names and admin operations: which Kafka topics a unimq topic and group use, creating them,
 * positioning a new group at the end, and offsets arithmetic for lag and dead letters.
 *
 * <ul>
 *   <li>{@code <topic>}: the messages, {@code partitions} partitions, keyed.
 *   <li>{@code <topic>.delay}: messages with a future {@code deliverAt}, read by every group.
 *   <li>{@code <topic>.<group>.retry}: the group's retries and delayed records still waiting.
 *   <li>{@code <topic>.<group>.dlq}: the group's dead letters, read by the group {@code unimq.dlq.<topic>.<group>}.
 * </ul>
 * Thread-safe.
 */
final class KafkaTopology {
  private final Admin admin;
  private final KafkaSettings settings;
  private final Set<String> created = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();
  private final Set<String> declaredTopics = ConcurrentHashMap.newKeySet();
  /** Replication factor of every topic created here. */
  private final short replicas;
  /** Its {@code min.insync.replicas}, or null for the broker's default. */
  private final Integer minInsync;

  /**
   * @param brokers the live brokers of the cluster when the client connected
   * @throws io.unimq.api.MqConfigurationException {@code replicationFactor} or {@code minInsyncReplicas} does not fit the cluster
   */
  KafkaTopology(Admin admin, KafkaSettings settings, int brokers) {
    this.admin = admin;
    this.settings = settings;
    this.replicas = settings.replicas(brokers);
    this.minInsync = settings.minInsync(replicas);
  }

  /** The replication factor of the topics this client creates. */
  short replicas() {
    return replicas;
  }

  static String delay(String topic) {
    return topic + ".delay";
  }

  static String retry(String topic, String group) {
    return topic + "." + group + ".retry";
  }

  static String dlq(String topic, String group) {
    return topic + "." + group + ".dlq";
  }

  static String dlqReader(String topic, String group) {
    return "unimq.dlq." + topic + "." + group;
  }

  static String half(String producerGroup) {
    return "unimq.half." + producerGroup;
  }

  void declareTopic(String topic) {
    if (declaredTopics.contains(topic)) {
      return; // the publish path: no derived names built once declared
    }
    ensure(topic, settings.partitions(), false, false);
    ensure(delay(topic), DelayLevels.LEVELS, true, false);
    declaredTopics.add(topic);
  }

  /** The number of partitions of {@code topic}, cached after the first answer. */
  int partitionCount(String topic) {
    Integer n = partitionCounts.get(topic);
    if (n == null) {
      partitions(List.of(topic));
      n = partitionCounts.get(topic);
    }
    return n;
  }

  /** The group's own topics, and its start position at the end of the topic (if it has none yet). */
  void declareGroup(String topic, String group) {
    ensure(retry(topic, group), DelayLevels.LEVELS, true, false);
    ensure(dlq(topic, group), 1, false, false);
    positionAtEnd(group, List.of(topic, delay(topic)));
  }

  void declareHalfTopic(String producerGroup) {
    ensure(half(producerGroup), 1, false, true);
  }

  private void ensure(String name, int partitions, boolean appendTime, boolean compact) {
    if (created.contains(name)) {
      return;
    }
    Map<String, String> configs = new HashMap<>();
    configs.put("max.message.bytes", Integer.toString(settings.wireLimit()));
    if (appendTime) {
      configs.put("message.timestamp.type", "LogAppendTime");
    }
    if (compact) {
      configs.put("cleanup.policy", "compact");
    }
    if (minInsync != null) {
      configs.put("min.insync.replicas", minInsync.toString());
    }
    try {
      admin.createTopics(List.of(new NewTopic(name, partitions, replicas).configs(configs))).all().get();
      awaitLeaders(name);
      partitionCounts.put(name, partitions);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicAuthorizationException t) { // names no topic when creating one
        throw KafkaErrors.denied(t, "cannot create topic " + name, "topic '" + name + "'");
      }
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw KafkaErrors.translate(e, "cannot create topic " + name);
      }
    } catch (InterruptedException e) {
      throw KafkaErrors.interrupted(e);
    }
    created.add(name);
  }

  /**
   * Waits (up to 10 s) until a just created topic has a leader for every partition, so that the
   * offset lookups that follow do not run into the broker's metadata propagation (the admin client
   * logs those at ERROR although it retries).
   */
  private void awaitLeaders(String name) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      TopicDescription d = retrying(() -> admin.describeTopics(List.of(name)).allTopicNames(), "describe " + name).get(name);
      if (d != null && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw KafkaErrors.interrupted(e);
      }
    }
  }

  /** All partitions of {@code topics}. */
  List<TopicPartition> partitions(List<String> topics) {
    List<String> unknown = topics.stream().filter(t -> !partitionCounts.containsKey(t)).toList();
    if (!unknown.isEmpty()) {
      Map<String, TopicDescription> d = retrying(() -> admin.describeTopics(unknown).allTopicNames(), "describe " + unknown);
      d.forEach((t, desc) -> partitionCounts.put(t, desc.partitions().size()));
    }
    List<TopicPartition> out = new ArrayList<>();
    for (String t : topics) {
      for (int p = 0; p < partitionCounts.get(t); p++) {
        out.add(new TopicPartition(t, p));
      }
    }
    return out;
  }

  Map<TopicPartition, Long> committed(String group) {
    Map<TopicPartition, OffsetAndMetadata> m = KafkaErrors.get(
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(), "offsets of group " + group);
    Map<TopicPartition, Long> out = new HashMap<>();
    m.forEach((tp, o) -> {
      if (o != null) {
        out.put(tp, o.offset());
      }
    });
    return out;
  }

  Map<TopicPartition, Long> offsets(List<TopicPartition> tps, OffsetSpec spec) {
    Map<TopicPartition, OffsetSpec> req = new HashMap<>();
    tps.forEach(tp -> req.put(tp, spec));
    Map<TopicPartition, Long> out = new HashMap<>();
    retrying(() -> admin.listOffsets(req).all(), "list offsets of " + tps).forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }

  /** Runs an admin call, again while a just created topic is not yet known everywhere (up to 10 s). */
  private static <T> T retrying(Supplier<Future<T>> call, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        return call.get().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
          throw KafkaErrors.translate(e, "cannot " + what);
        }
      } catch (InterruptedException e) {
        throw KafkaErrors.interrupted(e);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw KafkaErrors.interrupted(e);
      }
    }
  }

  private void positionAtEnd(String group, List<String> topics) {
    Map<TopicPartition, Long> committed = committed(group);
    List<TopicPartition> missing = partitions(topics).stream().filter(tp -> !committed.containsKey(tp)).toList();
    if (missing.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
    offsets(missing, OffsetSpec.latest()).forEach((tp, o) -> start.put(tp, new OffsetAndMetadata(o)));
    commit(group, start);
  }

  /** Commits offsets for a group without live members; false when the group has members. */
  boolean commit(String group, Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      admin.alterConsumerGroupOffsets(group, offsets).all().get();
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupNotEmptyException || e.getCause() instanceof UnknownMemberIdException) {
        return false; // a live group already has its position
      }
      throw KafkaErrors.translate(e, "cannot commit offsets of group " + group);
    } catch (InterruptedException e) {
      throw KafkaErrors.interrupted(e);
    }
  }

  /** Records of {@code topics} not yet committed by {@code group} (from the earliest offset when it has none). */
  long backlog(String group, List<String> topics) {
    List<TopicPartition> tps = partitions(topics);
    Map<TopicPartition, Long> end = offsets(tps, OffsetSpec.latest());
    Map<TopicPartition, Long> begin = offsets(tps, OffsetSpec.earliest());
    Map<TopicPartition, Long> committed = committed(group);
    long sum = 0;
    for (TopicPartition tp : tps) {
      long from = Math.max(begin.get(tp), committed.getOrDefault(tp, begin.get(tp)));
      sum += Math.max(0, end.get(tp) - from);
    }
    return sum;
  }
}
