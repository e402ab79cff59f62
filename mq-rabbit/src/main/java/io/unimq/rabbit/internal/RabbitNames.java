package io.unimq.rabbit.internal;

import io.unimq.api.Message;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The names unimq gives its RabbitMQ objects. Topic and group names are {@code [A-Za-z0-9_-]}, so
 * the internal objects, whose names hold a {@code $}, never collide with a user's. Stateless.
 */
final class RabbitNames {
  /** Routing slots of a topic: a keyed message goes to slot {@code hash(key) mod SLOTS}. */
  static final int SLOTS = 64;

  private RabbitNames() {}

  /** The durable exchange of {@code topic} (direct): {@code unimq.<topic>}. */
  static String exchange(String topic) {
    return "unimq." + topic;
  }

  /**
   * The fanout exchange of {@code topic} for native consumers: {@code unimq.<topic>.all}, bound to
   * the topic's exchange with every slot, so a queue bound to it receives every message of the topic.
   */
  static String allExchange(String topic) {
    return exchange(topic) + ".all";
  }

  /** The queue of an unordered group: {@code unimq.<topic>.<group>}. */
  static String groupQueue(String topic, String group) {
    return "unimq." + topic + "." + group;
  }

  /** Partition {@code i} of an ordered group: {@code unimq.<topic>.<group>.p<i>}. */
  static String partitionQueue(String topic, String group, int i) {
    return groupQueue(topic, group) + ".p" + i;
  }

  /** The group's dead letters: {@code unimq.<topic>.<group>.dlq}. */
  static String deadLetterQueue(String topic, String group) {
    return groupQueue(topic, group) + ".dlq";
  }

  /** The check-back tickets of a producer group: {@code unimq.$half.<producerGroup>}. */
  static String halfQueue(String producerGroup) {
    return "unimq.$half." + producerGroup;
  }

  /** The liveness marker of one half message: {@code unimq.$half.<producerGroup>.<messageId>}. */
  static String halfMarker(String producerGroup, String messageId) {
    return halfQueue(producerGroup) + "." + messageId;
  }

  /** The routing slot of a message: by key hash, or random for unkeyed messages. */
  static int slot(Message m) {
    return m.key() == null ? ThreadLocalRandom.current().nextInt(SLOTS) : Math.floorMod(m.key().hashCode(), SLOTS);
  }

  /** The routing key for {@code slot}. */
  static String routingKey(int slot) {
    return Integer.toString(slot);
  }
}
