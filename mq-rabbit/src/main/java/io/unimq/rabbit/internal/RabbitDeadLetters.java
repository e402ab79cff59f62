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
 * passive declaration; read takes messages with {@code basic.get} without acking and then puts
 * them back; remove takes them again from the head and acks each that is the one read (stopping,
 * and putting it back, at the first that is not); republish sends to the group's queue (for an
 * ordered group, the key's partition) with a confirm; purge is {@code queue.purge}. A dead letter's
 * cursor is its message id: reading after one takes messages from the head, skipping up to and
 * including it (throwing when it is not there any more), and removing chosen ones takes messages
 * from the head, acking the chosen ones until all are found: both fetch every dead letter before
 * the ones they want (held unacked by the call's channel, not in memory), then put them back.
 *
 * <p>Putting back is one {@code basic.nack} with requeue per message, in the order they were taken,
 * then the wait until the queue counts them ready again. Closing the channel with the messages
 * unacked would put a classic queue's back in place at once, but a quorum queue (the default on a
 * cluster) returns them only once its leader has handled the channel's end, after the next call may
 * already have read past them, and not necessarily in the order they were taken (each {@code basic.get}
 * is a consumer of its own there); a quorum queue serves returned messages first, in the order they were
 * returned, so per-message returns in order keep the queue's order. Thread-safe:
 * each call uses its own channel.
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
    walk(topic, group, "peek at", (w, r, m) -> {
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
    walk(topic, group, "peek at", (w, r, m) -> {
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
    walk(topic, group, "take from", (w, r, m) -> {
      if (left.remove(m.id())) {
        ack(w, r);
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
    walk(topic, group, "take from", (w, r, m) -> {
      if (!m.id().equals(letters.get(next[0]).position())) {
        return false; // removed meanwhile: closing the channel puts this one back
      }
      ack(w, r);
      return ++next[0] < letters.size();
    });
  }

  /** One message of a {@link #walk}: got unacked on {@code w}'s channel; returns whether to take the next. */
  private interface Step {
    boolean take(Walk w, GetResponse r, Message m);
  }

  /** The messages a {@link #walk} holds unacked, in the order taken. */
  private static final class Walk {
    final Channel ch;
    final List<Long> held = new ArrayList<>();
    int acked;

    Walk(Channel ch) {
      this.ch = ch;
    }
  }

  /**
   * Takes messages from the head of the group's dead-letter queue, unacked, on one channel, handing
   * each to {@code step} until it says stop or the queue is empty; then puts every one not acked back,
   * in the order taken, and waits (up to {@link #SETTLE}) until the queue counts them ready again.
   */
  private void walk(String topic, String group, String what, Step step) {
    String queue = RabbitNames.deadLetterQueue(topic, group);
    long before = count(topic, group);
    Walk w = new Walk(RabbitErrors.call("open a channel", connection::createChannel));
    boolean putBack = false;
    try {
      while (true) {
        GetResponse r = RabbitErrors.call(what + " " + queue, () -> w.ch.basicGet(queue, false));
        if (r == null) {
          break;
        }
        w.held.add(r.getEnvelope().getDeliveryTag());
        if (!step.take(w, r, RabbitCodec.message(topic, r.getProps(), r.getBody()))) {
          break;
        }
      }
      for (long tag : w.held) {
        RabbitErrors.io("put back a dead letter", () -> w.ch.basicNack(tag, false, true));
      }
      putBack = true;
    } finally {
      RabbitErrors.closeQuietly(w.ch);
    }
    if (putBack) {
      awaitReady(topic, group, before - w.acked);
    }
  }

  /** How long a walk waits for the queue to count what it put back (a quorum queue applies it once replicated). */
  private static final Duration SETTLE = Duration.ofSeconds(5);

  private void awaitReady(String topic, String group, long expected) {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (count(topic, group) != expected && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void ack(Walk w, GetResponse r) {
    long tag = r.getEnvelope().getDeliveryTag();
    RabbitErrors.io("ack a dead letter", () -> w.ch.basicAck(tag, false));
    w.held.remove(tag);
    w.acked++;
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
