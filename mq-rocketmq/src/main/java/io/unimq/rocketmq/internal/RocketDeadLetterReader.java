package io.unimq.rocketmq.internal;

import io.unimq.api.Message;
import io.unimq.spi.DeadLetterStore;
import io.unimq.spi.Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

/**
 * Dead letters of (topic, group): the group's {@code %DLQ%<group>} topic (one queue, created
 * readable), read by offset with the remoting pull client. Each (topic, group) keeps a cursor, the
 * offset of the cursor group {@code unimq-dlq-<group>-<topic>}: messages before it are purged or
 * replayed. Counting scans from the cursor. Thread-safe.
 */
final class RocketDeadLetterReader implements AutoCloseable {
  private static final int BATCH = 32;
  private final RocketAdmin admin;
  private final RocketMqTransport transport;
  private DefaultMQPullConsumer puller;

  RocketDeadLetterReader(RocketAdmin admin, RocketMqTransport transport) {
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

  DeadLetterStore store(String topic, String group) {
    MessageQueue mq = new MessageQueue(PhysicalTopic.deadLetterTopic(group), admin.brokerName(), 0);
    String cursorGroup = "unimq-dlq-" + group + "-" + topic;
    Predicate<Message> ofTopic = m -> {
      String original = m.header(Headers.DLQ_ORIGINAL_TOPIC);
      return original == null || original.equals(topic);
    };
    return new DeadLetterStore() {
      @Override
      public long count() {
        return scan().size();
      }

      @Override
      public List<Message> peek(int max) {
        List<Message> all = scan();
        return all.subList(0, Math.min(max, all.size()));
      }

      @Override
      public synchronized long replay() {
        long end = admin.maxOffset(mq);
        List<Message> dead = read(admin.committedOffset(cursorGroup, mq.getTopic()), end);
        for (Message m : dead) {
          transport.send(Headers.stripForReplay(m), PhysicalTopic.replayTag(group)).join();
        }
        admin.commitOffset(cursorGroup, mq, end);
        return dead.size();
      }

      @Override
      public synchronized long purge() {
        long end = admin.maxOffset(mq);
        long n = read(admin.committedOffset(cursorGroup, mq.getTopic()), end).size();
        admin.commitOffset(cursorGroup, mq, end);
        return n;
      }

      private List<Message> scan() {
        long end = admin.maxOffset(mq);
        return read(admin.committedOffset(cursorGroup, mq.getTopic()), end);
      }

      private List<Message> read(long from, long end) {
        List<Message> out = new ArrayList<>();
        long offset = from;
        while (offset < end) {
          long at = offset;
          PullResult r = admin.call("read the dead letters of '" + group + "'",
              () -> puller().pull(mq, "*", at, BATCH, 5000));
          if (r.getPullStatus() != PullStatus.FOUND) {
            if (r.getNextBeginOffset() <= offset) {
              break;
            }
            offset = r.getNextBeginOffset();
            continue;
          }
          for (MessageExt e : r.getMsgFoundList()) {
            Message m = MessageCodec.decode(topic, e.getProperties(), e.getBody(), e.getMsgId());
            if (ofTopic.test(m)) {
              out.add(m);
            }
          }
          offset = r.getNextBeginOffset();
        }
        return out;
      }
    };
  }

  @Override
  public synchronized void close() {
    if (puller != null) {
      puller.shutdown();
    }
  }
}
