package io.unimq.rocketmq.internal;

import io.unimq.api.Message;
import io.unimq.spi.DeadLetterStore;
import io.unimq.spi.Headers;
import java.util.ArrayList;
import java.util.List;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

/**
 * Dead letters of (topic, group): the group's {@code %DLQ%<group>} topic (one queue, created
 * readable), read by offset with the remoting pull client. Each (topic, group) keeps a cursor, the
 * offset of the cursor group {@code unimq-dlq-<group>-<topic>}: messages before it are removed
 * (replayed or purged). Counting scans from the cursor. Republish sends to the topic with the
 * group's replay tag, which only that group's filter takes. A dead letter's cursor is its position
 * (the offset just past it). Removing chosen dead letters that are not the oldest re-appends the
 * kept ones before the last chosen one to the dead-letter topic and moves the cursor past it (a log
 * cannot lose an entry from the middle): the kept ones move behind later dead letters, and a
 * failure between the two leaves them twice, never lost. Thread-safe.
 */
final class RocketDeadLetters implements DeadLetterStore, AutoCloseable {
  private static final int BATCH = 32;
  private final RocketTopology admin;
  private final RocketTransport transport;
  private DefaultMQPullConsumer puller;

  RocketDeadLetters(RocketTopology admin, RocketTransport transport) {
    this.admin = admin;
    this.transport = transport;
  }

  private synchronized DefaultMQPullConsumer puller() {
    if (puller == null) {
      DefaultMQPullConsumer p = admin.newPullConsumer("unimq-dlq-reader");
      p.setNamesrvAddr(admin.namesrv());
      p.setInstanceName("unimq-dlq-" + System.nanoTime());
      p.setVipChannelEnabled(false);
      admin.call("start the dead-letter reader", () -> {
        p.start();
        return null;
      });
      puller = p;
    }
    return puller;
  }

  private static MessageQueue queue(RocketTopology admin, String group) {
    return new MessageQueue(PhysicalTopic.deadLetterTopic(group), admin.brokerName(), 0);
  }

  private static String cursorGroup(String topic, String group) {
    return "unimq-dlq-" + group + "-" + topic;
  }

  @Override
  public long count(String topic, String group) {
    long[] n = {0};
    scan(topic, group, admin.committedOffset(cursorGroup(topic, group), PhysicalTopic.deadLetterTopic(group)), Long.MAX_VALUE, e -> {
      n[0]++;
      return true;
    });
    return n[0];
  }

  /** The dead letters of {@code topic} after the cursor; a dead letter's position is the offset just past it. */
  @Override
  public List<DeadLetter> read(String topic, String group, int max) {
    return read(topic, group, admin.committedOffset(cursorGroup(topic, group), PhysicalTopic.deadLetterTopic(group)), max);
  }

  /** A cursor is a position (the offset just past a dead letter): reads from there, or from the group's cursor if that is further. */
  @Override
  public List<DeadLetter> readAfter(String topic, String group, String cursor, int max) {
    long from = DeadLetterStore.numericCursor(cursor, topic, group);
    return read(topic, group, Math.max(from, admin.committedOffset(cursorGroup(topic, group), PhysicalTopic.deadLetterTopic(group))), max);
  }

  private List<DeadLetter> read(String topic, String group, long from, int max) {
    List<DeadLetter> out = new ArrayList<>();
    if (max <= 0) {
      return out;
    }
    scan(topic, group, from, Long.MAX_VALUE, e -> {
      out.add(e);
      return out.size() < max;
    });
    return out;
  }

  /**
   * Hands the dead letters of {@code topic} at offsets in [from, to) (and below the end when it
   * begins) to {@code each}, in order, until it returns false.
   */
  private void scan(String topic, String group, long from, long to, java.util.function.Predicate<DeadLetter> each) {
    MessageQueue mq = queue(admin, group);
    long end = Math.min(to, admin.maxOffset(mq));
    long offset = from;
    while (offset < end) {
      long at = offset;
      PullResult r = admin.call("read the dead letters of '" + group + "'", () -> puller().pull(mq, "*", at, BATCH, 5000));
      if (r.getPullStatus() != PullStatus.FOUND) {
        if (r.getNextBeginOffset() <= offset) {
          return;
        }
        offset = r.getNextBeginOffset();
        continue;
      }
      for (MessageExt e : r.getMsgFoundList()) {
        Message m = RocketCodec.decode(topic, e.getProperties(), e.getBody(), e.getMsgId());
        String original = m.header(Headers.DLQ_ORIGINAL_TOPIC);
        if ((original == null || original.equals(topic)) && e.getQueueOffset() >= from && e.getQueueOffset() < end
            && !each.test(new DeadLetter(m, e.getQueueOffset() + 1))) {
          return;
        }
      }
      offset = r.getNextBeginOffset();
    }
  }

  @Override
  public void republish(String topic, String group, Message message) {
    transport.send(message, PhysicalTopic.replayTag(group)).join();
  }

  @Override
  public synchronized void remove(String topic, String group, List<DeadLetter> letters) {
    if (letters.isEmpty()) {
      return;
    }
    MessageQueue mq = queue(admin, group);
    long past = (Long) letters.get(letters.size() - 1).position();
    if (past > admin.committedOffset(cursorGroup(topic, group), mq.getTopic())) {
      admin.commitOffset(cursorGroup(topic, group), mq, past);
    }
  }

  /**
   * A log keeps its entries: re-appends (to the dead-letter topic, in order) the dead letters of
   * {@code topic} between the cursor and the last chosen one that were not chosen, then moves the
   * cursor past the last chosen one.
   */
  @Override
  public synchronized void removeChosen(String topic, String group, List<DeadLetter> letters) {
    if (letters.isEmpty()) {
      return;
    }
    java.util.Set<Object> chosen = new java.util.HashSet<>();
    long past = 0;
    for (DeadLetter d : letters) {
      chosen.add(d.position());
      past = Math.max(past, (Long) d.position());
    }
    MessageQueue mq = queue(admin, group);
    long cursor = admin.committedOffset(cursorGroup(topic, group), mq.getTopic());
    scan(topic, group, cursor, past, d -> {
      if (!chosen.contains(d.position())) {
        transport.publishDeadLetter(group, d.message());
      }
      return true;
    });
    if (past > cursor) {
      admin.commitOffset(cursorGroup(topic, group), mq, past);
    }
  }

  @Override
  public synchronized long purge(String topic, String group) {
    MessageQueue mq = queue(admin, group);
    long end = admin.maxOffset(mq);
    long n = count(topic, group);
    admin.commitOffset(cursorGroup(topic, group), mq, end);
    return n;
  }

  @Override
  public synchronized void close() {
    if (puller != null) {
      puller.shutdown();
    }
  }
}
