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
 * then the wait until the queue counts them ready again. A classic queue puts a returned message back
 * in its place. A quorum queue (the default on a cluster) puts it behind the messages still in the
 * queue, and keeps the order of one batch of returns only up to about {@value #QUORUM_RETURN_BATCH}
 * messages, so a call on a quorum queue takes every message, also past those it wants, and returns all
 * it did not remove in the order taken, {@value #QUORUM_RETURN_BATCH} at a time, each batch once the
 * queue counts the one before: the queue's order is kept, and each call reads the whole queue (listing
 * and paging cost grows with the number of dead letters).
 * Closing the channel with the messages unacked instead would return them only once the queue's leader
 * has handled the channel's end, after the next call may already have read past them, and not
 * necessarily in the order taken (each {@code basic.get} is a consumer of its own there). Thread-safe:
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
   * each to {@code step} until it says stop or the queue is empty (on a quorum queue it then takes the
   * rest too, without handing them on); then puts every one not acked back, in the order taken, and
   * waits (up to {@link #SETTLE}) until the queue counts them ready again.
   */
  private void walk(String topic, String group, String what, Step step) {
    String queue = RabbitNames.deadLetterQueue(topic, group);
    long before = count(topic, group);
    boolean wholeQueue = transport.topology().queueType() == RabbitSettings.QueueType.QUORUM;
    Walk w = new Walk(RabbitErrors.call("open a channel", connection::createChannel));
    boolean putBack = false;
    try {
      boolean stepping = true;
      while (true) {
        GetResponse r = RabbitErrors.call(what + " " + queue, () -> w.ch.basicGet(queue, false));
        if (r == null) {
          break;
        }
        w.held.add(r.getEnvelope().getDeliveryTag());
        if (stepping && !step.take(w, r, RabbitCodec.message(topic, r.getProps(), r.getBody()))) {
          if (!wholeQueue) {
            break;
          }
          stepping = false; // a quorum queue puts what is returned behind the rest: hold the rest too
        }
      }
      putBack(topic, group, w, wholeQueue);
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
  /**
   * Most messages a walk returns to a quorum queue at once: the queue applies the returns of one batch
   * in their order only up to about this many (more come back shuffled), so a walk returns this many,
   * waits until the queue counts them, and returns the next.
   */
  static final int QUORUM_RETURN_BATCH = 16;

  /** Returns the held messages in the order taken: all at once to a classic queue, in batches to a quorum queue. */
  private void putBack(String topic, String group, Walk w, boolean quorum) {
    int batch = quorum ? QUORUM_RETURN_BATCH : Integer.MAX_VALUE;
    long base = quorum ? count(topic, group) : 0;
    for (int i = 0; i < w.held.size(); i += batch) {
      int end = (int) Math.min(w.held.size(), (long) i + batch);
      for (long tag : w.held.subList(i, end)) {
        RabbitErrors.io("put back a dead letter", () -> w.ch.basicNack(tag, false, true));
      }
      if (quorum && end < w.held.size()) {
        awaitReady(topic, group, base + end);
      }
    }
  }

  private void awaitReady(String topic, String group, long expected) {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (count(topic, group) < expected && System.nanoTime() < deadline) {
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
