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
    if (max <= 0 || count(topic, group) == 0) {
      return out;
    }
    walk(topic, group, "peek at", (ch, r, m) -> {
      out.add(new DeadLetter(m, m.id()));
      return out.size() < max;
    });
    return out;
  }

  @Override
  public String cursor(DeadLetter letter) {
    return letter.message().id();
  }

  @Override
  public List<DeadLetter> readAfter(String topic, String group, String cursor, int max) {
    List<DeadLetter> out = new ArrayList<>();
    if (max <= 0) {
      return out;
    }
    boolean[] found = {false};
    walk(topic, group, "peek at", (ch, r, m) -> {
      if (found[0]) {
        out.add(new DeadLetter(m, m.id()));
      }
      found[0] |= m.id().equals(cursor);
      return out.size() < max;
    });
    if (!found[0]) {
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
    if (left.isEmpty()) {
      return;
    }
    walk(topic, group, "take from", (ch, r, m) -> {
      if (left.remove(m.id())) {
        ack(ch, r);
      }
      return !left.isEmpty(); // those not found were removed meanwhile
    });
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
    int[] next = {0};
    walk(topic, group, "take from", (ch, r, m) -> {
      if (!m.id().equals(letters.get(next[0]).position())) {
        return false; // removed meanwhile: closing the channel puts this one back
      }
      ack(ch, r);
      return ++next[0] < letters.size();
    });
  }

  /** One message of a {@link #walk}: got unacked on {@code ch}; returns whether to take the next. */
  private interface Step {
    boolean take(Channel ch, GetResponse r, Message m);
  }

  /**
   * Takes messages from the head of the group's dead-letter queue, unacked, on one channel, handing
   * each to {@code step} until it says stop or the queue is empty; closing the channel then puts
   * every one not acked back in its place.
   */
  private void walk(String topic, String group, String what, Step step) {
    String queue = RabbitNames.deadLetterQueue(topic, group);
    Channel ch = RabbitErrors.call("open a channel", connection::createChannel);
    try {
      while (true) {
        GetResponse r = RabbitErrors.call(what + " " + queue, () -> ch.basicGet(queue, false));
        if (r == null || !step.take(ch, r, RabbitCodec.message(topic, r.getProps(), r.getBody()))) {
          return;
        }
      }
    } finally {
      RabbitErrors.closeQuietly(ch);
    }
  }

  private static void ack(Channel ch, GetResponse r) {
    RabbitErrors.io("ack a dead letter", () -> ch.basicAck(r.getEnvelope().getDeliveryTag(), false));
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
