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
 * group's replay tag, which only that group's filter takes. Thread-safe.
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
      DefaultMQPullConsumer p = new DefaultMQPullConsumer("unimq-dlq-reader");
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
    return read(topic, group, Integer.MAX_VALUE).size();
  }

  /** The dead letters of {@code topic} after the cursor; a dead letter's position is the offset just past it. */
  @Override
  public List<DeadLetter> read(String topic, String group, int max) {
    MessageQueue mq = queue(admin, group);
    long end = admin.maxOffset(mq);
    List<DeadLetter> out = new ArrayList<>();
    long offset = admin.committedOffset(cursorGroup(topic, group), mq.getTopic());
    while (offset < end && out.size() < max) {
      long at = offset;
      PullResult r = admin.call("read the dead letters of '" + group + "'", () -> puller().pull(mq, "*", at, BATCH, 5000));
      if (r.getPullStatus() != PullStatus.FOUND) {
        if (r.getNextBeginOffset() <= offset) {
          break;
        }
        offset = r.getNextBeginOffset();
        continue;
      }
      for (MessageExt e : r.getMsgFoundList()) {
        Message m = RocketCodec.decode(topic, e.getProperties(), e.getBody(), e.getMsgId());
        String original = m.header(Headers.DLQ_ORIGINAL_TOPIC);
        if ((original == null || original.equals(topic)) && out.size() < max && e.getQueueOffset() < end) {
          out.add(new DeadLetter(m, e.getQueueOffset() + 1));
        }
      }
      offset = r.getNextBeginOffset();
    }
    return out;
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
