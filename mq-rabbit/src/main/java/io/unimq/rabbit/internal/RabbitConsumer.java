package io.unimq.rabbit.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.InboundMessage;
import io.unimq.spi.TransportConsumer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription's consumer: its own channel with {@code basicQos(prefetch)} shared by the
 * channel's consumers (one per queue of the group: the group queue, or every partition queue of an
 * ordered group, where single-active-consumer leaves one subscription active per partition).
 * Pushed deliveries wait in a local buffer, bounded by the prefetch, until {@link #poll}. Acks go
 * out manually after the engine settles, coalesced by {@link MultipleAckBatcher}. When the connection drops, the buffer is emptied: the
 * broker redelivers those messages after recovery. Thread-safe.
 */
final class RabbitConsumer implements TransportConsumer {
  private static final Logger log = LoggerFactory.getLogger(RabbitConsumer.class);
  private static final Object WAKEUP = new Object();

  private final RabbitTransport transport;
  private final ConsumerSpec spec;
  private final Channel channel;
  private final MultipleAckBatcher acks;
  private final LinkedBlockingQueue<Object> buffer = new LinkedBlockingQueue<>();
  private volatile boolean closed;

  RabbitConsumer(RabbitTransport transport, Connection connection, ConsumerSpec spec, List<String> queues) throws IOException {
    this.transport = transport;
    this.spec = spec;
    this.channel = connection.createChannel();
    // per consumer, not channel-wide (global): a channel-wide limit makes the broker coordinate the
    // channel's credit with every queue on each delivery (RabbitMQ's docs: noticeably slower); the
    // queues of an ordered group share the prefetch between them
    channel.basicQos(Math.max(1, spec.prefetch() / queues.size()), false);
    this.acks = new MultipleAckBatcher(channel, transport.ackTimer());
    channel.addShutdownListener(cause -> {
      acks.reset();
      if (!closed) {
        buffer.removeIf(o -> o != WAKEUP);
        buffer.add(WAKEUP);
      }
    });
    for (String queue : queues) {
      channel.basicConsume(queue, false, spec.consumerId() + "@" + queue, new DefaultConsumer(channel) {
        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
          long epoch = acks.delivered(envelope.getDeliveryTag());
          buffer.add(new RabbitInbound(transport, spec, acks, queue, envelope.getDeliveryTag(), epoch,
              RabbitCodec.message(spec.topic(), props, body)));
        }
      });
    }
  }

  @Override
  public List<InboundMessage> poll(int max, Duration timeout) throws InterruptedException {
    List<InboundMessage> out = new ArrayList<>();
    if (closed) {
      return out;
    }
    Object first = buffer.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (first == null || first == WAKEUP) {
      return out;
    }
    out.add((InboundMessage) first);
    while (out.size() < max) {
      Object next = buffer.poll();
      if (next == null || next == WAKEUP) {
        break;
      }
      out.add((InboundMessage) next);
    }
    return out;
  }

  @Override
  public void wakeup() {
    buffer.add(WAKEUP);
  }

  @Override
  public void close() {
    closed = true;
    buffer.clear();
    acks.flushAll();
    try {
      if (channel.isOpen()) {
        channel.close();
      }
    } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
      log.debug("closing the consumer channel of {}/{} failed: {}", spec.topic(), spec.group(), e.toString());
    }
  }
}
