package io.unimq.kafka.internal;

import io.unimq.api.GroupInfo;
import io.unimq.api.MqException;
import io.unimq.spi.TopologyListing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Topics and groups from the admin client. A unimq topic is a Kafka topic whose name has no dot (the
 * adapter's own topics all have one) next to its {@code <topic>.delay}; a group of a topic is a
 * consumer group with committed offsets on it (declaring a group commits them). Deleting a group
 * deletes its offsets on the topic, its delay topic and its retry topic, and the records waiting on
 * its retry topic; the Kafka group's offsets on other topics, and its dead letters, stay. Thread-safe.
 */
final class KafkaListing implements TopologyListing {
  private final Admin admin;
  private final KafkaTopology topology;
  private final KafkaTransport transport;

  KafkaListing(Admin admin, KafkaTopology topology, KafkaTransport transport) {
    this.admin = admin;
    this.topology = topology;
    this.transport = transport;
  }

  private Set<String> names() {
    return KafkaErrors.get(admin.listTopics().names(), "list topics");
  }

  @Override
  public List<String> topics() {
    Set<String> names = names();
    return names.stream().filter(n -> n.indexOf('.') < 0 && names.contains(KafkaTopology.delay(n))).toList();
  }

  @Override
  public List<GroupInfo> groups(String topic) {
    if (!names().contains(topic)) {
      return List.of();
    }
    List<TopicPartition> tps = topology.partitions(List.of(topic));
    Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
    for (GroupListing g : KafkaErrors.get(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all(), "list groups")) {
      if (!g.groupId().startsWith("unimq.")) { // the dead-letter readers
        specs.put(g.groupId(), new ListConsumerGroupOffsetsSpec().topicPartitions(tps));
      }
    }
    if (specs.isEmpty()) {
      return List.of();
    }
    Map<String, Map<TopicPartition, OffsetAndMetadata>> offsets =
        KafkaErrors.get(admin.listConsumerGroupOffsets(specs).all(), "list offsets of groups");
    List<String> on = new ArrayList<>();
    offsets.forEach((group, o) -> {
      if (o.values().stream().anyMatch(v -> v != null)) {
        on.add(group);
      }
    });
    if (on.isEmpty()) {
      return List.of();
    }
    Map<String, ConsumerGroupDescription> described = KafkaErrors.get(admin.describeConsumerGroups(on).all(), "describe groups " + on);
    List<GroupInfo> out = new ArrayList<>();
    for (String group : on) {
      ConsumerGroupDescription d = described.get(group);
      out.add(new GroupInfo(group, d == null ? GroupInfo.UNKNOWN : d.members().size(), transport.lag(topic, group)));
    }
    return out;
  }

  @Override
  public void deleteGroup(String topic, String group) {
    Set<String> names = names();
    if (!names.contains(topic)) {
      return;
    }
    List<String> topics = new ArrayList<>(List.of(topic));
    String retry = KafkaTopology.retry(topic, group);
    for (String t : List.of(KafkaTopology.delay(topic), retry)) {
      if (names.contains(t)) {
        topics.add(t);
      }
    }
    try {
      admin.deleteConsumerGroupOffsets(group, new HashSet<>(topology.partitions(topics))).all().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupSubscribedToTopicException) {
        throw new MqException("group '" + group + "' of topic '" + topic + "' has consumers connected; stop them (close their"
            + " subscriptions) before deleting the group", e.getCause());
      }
      if (!(e.getCause() instanceof GroupIdNotFoundException) && !(e.getCause() instanceof UnknownTopicOrPartitionException)) {
        throw KafkaErrors.translate(e, "cannot delete the offsets of group " + group + " on " + topics);
      }
    } catch (InterruptedException e) {
      throw KafkaErrors.interrupted(e);
    }
    if (names.contains(retry)) {
      Map<TopicPartition, RecordsToDelete> waiting = new HashMap<>();
      topology.offsets(topology.partitions(List.of(retry)), OffsetSpec.latest())
          .forEach((tp, end) -> waiting.put(tp, RecordsToDelete.beforeOffset(end)));
      KafkaErrors.get(admin.deleteRecords(waiting).all(), "delete the waiting retries of group " + group);
    }
  }
}
