package io.unimq.rabbit.internal;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.unimq.api.Message;
import io.unimq.api.MqException;
import io.unimq.spi.DeadLetterStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The dead letters of each group: the durable queue {@code unimq.<topic>.<group>.dlq}. Count is a
 * passive declaration; read takes messages with {@code basic.get} without acking and then closes
 * its channel, which puts them back in their original positions; remove takes them again from the
 * head and acks each that is the one read (stopping, and putting it back, at the first that is
 * not); republish sends to the group's queue (for an ordered group, the key's partition) with a
 * confirm; purge is {@code queue.purge}. A dead letter's cursor is its message id: reading after
 * one takes messages from the head, skipping up to and including it (throwing when it is not
 * there any more), and removing chosen ones takes messages from the head, acking the chosen ones
 * until all are found: both fetch every dead letter before the ones they want (held unacked by the
 * call's channel, not in memory), which closing the channel puts back in place. Thread-safe: each
 * call uses its own channel.
 */
final class RabbitDeadLetters implements DeadLetterStore {
  private final RabbitTransport transport;
  private final Connection connection;

  RabbitDeadLetters(RabbitTransport transport, Connection connection) {
    this.transport = transport;
    this.connection = connection;
  }

  @Override
  public long count(String topic, String group) {
    return Math.max(0, transport.topology().ready(RabbitNames.deadLetterQueue(topic, group)));
  }

  @Override
  public List<DeadLetter> read(String topic, String group, int max) {
    List<DeadLetter> out = new ArrayList<>();
    String queue = RabbitNames.deadLetterQueue(topic, group);
    if (max <= 0 || count(topic, group) == 0) {
      return out;
    }
    Channel ch = RabbitErrors.call("open a channel", connection::createChannel);
    try {
      while (out.size() < max) {
        GetResponse r = RabbitErrors.call("peek at " + queue, () -> ch.basicGet(queue, false));
        if (r == null) {
          break;
        }
        Message m = RabbitCodec.message(topic, r.getProps(), r.getBody());
        out.add(new DeadLetter(m, m.id()));
      }
    } finally {
      RabbitErrors.closeQuietly(ch);
    }
    return out;
  }

  @Override
  public String cursor(DeadLetter letter) {
    return letter.message().id();
  }

  @Override
  public List<DeadLetter> readAfter(String topic, String group, String cursor, int max) {
    List<DeadLetter> out = new ArrayList<>();
    String queue = RabbitNames.deadLetterQueue(topic, group);
    boolean found = false;
    Channel ch = RabbitErrors.call("open a channel", connection::createChannel);
    try {
      while (out.size() < max) {
        GetResponse r = RabbitErrors.call("peek at " + queue, () -> ch.basicGet(queue, false));
        if (r == null) {
          break;
        }
        Message m = RabbitCodec.message(topic, r.getProps(), r.getBody());
        if (found) {
          out.add(new DeadLetter(m, m.id()));
        }
        found |= m.id().equals(cursor);
      }
    } finally {
      RabbitErrors.closeQuietly(ch);
    }
    if (!found) {
      throw new MqException("dead-letter cursor '" + cursor + "' names no dead letter of group '" + group + "' of topic '"
          + topic + "' (it was replayed or purged meanwhile, or is of another group); page again from the start");
    }
    return out;
  }

  @Override
  public void removeChosen(String topic, String group, List<DeadLetter> letters) {
    Set<Object> left = new HashSet<>();
    for (DeadLetter d : letters) {
      left.add(d.position());
    }
    String queue = RabbitNames.deadLetterQueue(topic, group);
    Channel ch = RabbitErrors.call("open a channel", connection::createChannel);
    try {
      while (!left.isEmpty()) {
        GetResponse r = RabbitErrors.call("take from " + queue, () -> ch.basicGet(queue, false));
        if (r == null) {
          return; // the rest were removed meanwhile
        }
        Message m = RabbitCodec.message(topic, r.getProps(), r.getBody());
        if (left.remove(m.id())) {
          RabbitErrors.io("ack " + queue, () -> ch.basicAck(r.getEnvelope().getDeliveryTag(), false));
        }
      }
    } finally {
      RabbitErrors.closeQuietly(ch); // puts the kept ones back in place
    }
  }

  @Override
  public void republish(String topic, String group, Message message) {
    RabbitTopology.Layout layout = transport.topology().layout(topic, group);
    String target = layout.partitions() > 0
        ? RabbitNames.partitionQueue(topic, group, RabbitNames.slot(message) % layout.partitions())
        : RabbitNames.groupQueue(topic, group);
    transport.sendToQueue(target, message, Duration.ZERO);
  }

  @Override
  public void remove(String topic, String group, List<DeadLetter> letters) {
    if (letters.isEmpty()) {
      return;
    }
    String queue = RabbitNames.deadLetterQueue(topic, group);
    Channel ch = RabbitErrors.call("open a channel", connection::createChannel);
    try {
      for (DeadLetter d : letters) {
        GetResponse r = RabbitErrors.call("take from " + queue, () -> ch.basicGet(queue, false));
        if (r == null) {
          return;
        }
        Message m = RabbitCodec.message(topic, r.getProps(), r.getBody());
        if (!m.id().equals(d.position())) {
          return; // removed meanwhile: closing the channel puts this one back
        }
        RabbitErrors.io("ack " + queue, () -> ch.basicAck(r.getEnvelope().getDeliveryTag(), false));
      }
    } finally {
      RabbitErrors.closeQuietly(ch);
    }
  }

  @Override
  public long purge(String topic, String group) {
    String queue = RabbitNames.deadLetterQueue(topic, group);
    if (count(topic, group) == 0) {
      return 0;
    }
    return transport.topology().admin("purge " + queue, ch -> (long) ch.queuePurge(queue).getMessageCount());
  }
}
