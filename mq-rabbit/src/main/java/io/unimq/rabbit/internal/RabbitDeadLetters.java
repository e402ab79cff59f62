package io.unimq.rabbit.internal;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.unimq.api.Message;
import io.unimq.spi.DeadLetterStore;
import io.unimq.spi.Headers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The dead letters of one group: the durable queue {@code unimq.<topic>.<group>.dlq}. Count is a
 * passive declaration; peek takes messages with {@code basic.get} without acking and then closes
 * its channel, which puts them back in their original positions; replay moves each message (with
 * {@link Headers#stripForReplay}) to the group's queue (for an ordered group, the key's partition)
 * with a confirm before acking it; purge is {@code queue.purge}. Thread-safe: each call uses its own
 * channel.
 */
final class RabbitDeadLetters implements DeadLetterStore {
  private final RabbitTransport transport;
  private final Connection connection;
  private final String topic;
  private final String group;
  private final String queue;

  RabbitDeadLetters(RabbitTransport transport, Connection connection, String topic, String group) {
    this.transport = transport;
    this.connection = connection;
    this.topic = topic;
    this.group = group;
    this.queue = RabbitNames.deadLetterQueue(topic, group);
  }

  @Override
  public long count() {
    return Math.max(0, transport.topology().ready(queue));
  }

  @Override
  public List<Message> peek(int max) {
    List<Message> out = new ArrayList<>();
    if (max <= 0 || count() == 0) {
      return out;
    }
    Channel ch = RabbitTransport.call("open a channel", connection::createChannel);
    try {
      while (out.size() < max) {
        GetResponse r = RabbitTransport.call("peek at " + queue, () -> ch.basicGet(queue, false));
        if (r == null) {
          break;
        }
        out.add(AmqpCodec.message(topic, r.getProps(), r.getBody()));
      }
    } finally {
      RabbitTransport.closeQuietly(ch);
    }
    return out;
  }

  @Override
  public long replay() {
    long limit = count();
    long replayed = 0;
    if (limit == 0) {
      return 0;
    }
    Topology.Layout layout = transport.topology().layout(topic, group);
    Channel ch = RabbitTransport.call("open a channel", connection::createChannel);
    try {
      while (replayed < limit) {
        GetResponse r = RabbitTransport.call("take from " + queue, () -> ch.basicGet(queue, false));
        if (r == null) {
          break;
        }
        Message m = Headers.stripForReplay(AmqpCodec.message(topic, r.getProps(), r.getBody()));
        String target = layout.partitions() > 0
            ? RabbitNames.partitionQueue(topic, group, RabbitNames.slot(m) % layout.partitions())
            : RabbitNames.groupQueue(topic, group);
        transport.sendToQueue(target, m, Duration.ZERO);
        RabbitTransport.io("ack " + queue, () -> ch.basicAck(r.getEnvelope().getDeliveryTag(), false));
        replayed++;
      }
    } finally {
      RabbitTransport.closeQuietly(ch);
    }
    return replayed;
  }

  @Override
  public long purge() {
    if (count() == 0) {
      return 0;
    }
    return transport.topology().admin("purge " + queue, ch -> (long) ch.queuePurge(queue).getMessageCount());
  }
}
