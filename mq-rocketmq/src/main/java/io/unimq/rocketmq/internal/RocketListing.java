package io.unimq.rocketmq.internal;

import io.unimq.api.GroupInfo;
import io.unimq.api.MqException;
import io.unimq.spi.TopologyListing;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Topics and groups through the admin client: a unimq topic is a RocketMQ topic with its
 * {@code _FIFO}, {@code _DELAY} and {@code _TX} siblings; a group of a topic is a consumer group with
 * offsets on one of them (not the dead-letter cursor groups {@code unimq-dlq-*}, nor the groups the
 * broker names after the physical topics); its members are the group's client connections. A RocketMQ
 * group spans topics: deleting it removes the group and its offsets, so a group that also consumes
 * another topic is refused, and so is a group with connections (the proxy would create it again).
 * Thread-safe.
 */
final class RocketListing implements TopologyListing {
  private final RocketTopology topology;
  private final RocketTransport transport;

  RocketListing(RocketTopology topology, RocketTransport transport) {
    this.topology = topology;
    this.transport = transport;
  }

  @Override
  public List<String> topics() {
    Set<String> all = topology.call("list topics", () -> topology.admin().fetchAllTopicList().getTopicList());
    List<String> out = new ArrayList<>();
    for (String t : all) {
      boolean unimq = true;
      for (PhysicalTopic p : PhysicalTopic.values()) {
        unimq &= all.contains(p.of(t));
      }
      if (unimq && t.matches("[A-Za-z0-9_-]+")) {
        out.add(t);
      }
    }
    return out;
  }

  /** The consumer groups with offsets on a physical topic of {@code topic}. */
  private Set<String> groupNames(String topic) {
    Set<String> out = new TreeSet<>();
    for (PhysicalTopic p : PhysicalTopic.values()) {
      String physical = p.of(topic);
      if (topology.call("inspect " + physical, () -> topology.topicExists(physical))) {
        out.addAll(topology.consumersOf(physical));
      }
    }
    out.removeIf(g -> g.startsWith("unimq-dlq-") || g.startsWith("CID_RMQ_SYS_") || g.startsWith("TOOLS_CONSUMER"));
    for (PhysicalTopic p : PhysicalTopic.values()) {
      out.remove(p.of(topic)); // the broker's own bookkeeping of the physical topics, named after them
    }
    return out;
  }

  @Override
  public List<GroupInfo> groups(String topic) {
    List<GroupInfo> out = new ArrayList<>();
    for (String g : groupNames(topic)) {
      out.add(new GroupInfo(g, topology.connections(g), transport.lag(topic, g)));
    }
    return out;
  }

  @Override
  public void deleteGroup(String topic, String group) {
    if (!groupNames(topic).contains(group)) {
      return;
    }
    int connected = topology.connections(group);
    if (connected > 0) {
      // the proxy would create the group again for them
      throw new MqException("group '" + group + "' of topic '" + topic + "' has " + connected + " consumer connection(s); stop"
          + " its consumers first (the RocketMQ proxy keeps a closed consumer's connection for up to two minutes), then delete it");
    }
    Set<String> others = new TreeSet<>(topology.topicsOf(group));
    for (PhysicalTopic p : PhysicalTopic.values()) {
      others.remove(p.of(topic));
    }
    others.removeIf(t -> t.startsWith("%RETRY%") || t.startsWith("%DLQ%"));
    if (!others.isEmpty()) {
      throw new MqException("group '" + group + "' also consumes " + others + "; a RocketMQ group spans its topics, so it"
          + " cannot be deleted for topic '" + topic + "' alone: stop using it there and delete it with mqadmin deleteSubGroup");
    }
    topology.deleteGroup(group);
  }
}
