package io.unimq.bench.drivers;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;

/**
 * amqp-client used well, with unimq's durability: persistent messages to a durable exchange and
 * queue, asynchronous publisher confirms with a window of {@value #CONFIRM_WINDOW}, a consumer with
 * {@code basicQos(}{@value #QOS}{@code )} acking with {@code multiple=true} every {@value #ACK_EVERY}
 * deliveries. Thread-safe.
 */
public final class RabbitNative implements Driver {
  static final int CONFIRM_WINDOW = 1024;
  static final int QOS = 256;
  static final int ACK_EVERY = 32;

  private final Connection connection;
  private final Channel publish;
  private final Channel admin;
  private final ConcurrentNavigableMap<Long, SendCallback> outstanding = new ConcurrentSkipListMap<>();
  private final Semaphore window = new Semaphore(CONFIRM_WINDOW);

  public RabbitNative(String host, int port, String user, String password, String vhost) {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(host);
    f.setPort(port);
    f.setUsername(user);
    f.setPassword(password);
    f.setVirtualHost(vhost);
    f.setConnectionTimeout(3000);
    try {
      connection = f.newConnection("unimq-bench-native");
      admin = connection.createChannel();
      publish = connection.createChannel();
      publish.confirmSelect();
      publish.addConfirmListener((seq, multiple) -> settle(seq, multiple, null),
          (seq, multiple) -> settle(seq, multiple, new IOException("basic.nack")));
    } catch (Exception e) {
      throw new IllegalStateException("cannot connect to RabbitMQ at " + host + ":" + port + ": " + e, e);
    }
  }

  private void settle(long seq, boolean multiple, Throwable error) {
    Map<Long, SendCallback> done = multiple ? outstanding.headMap(seq, true) : null;
    if (done != null) {
      for (Long s : done.keySet()) {
        SendCallback cb = outstanding.remove(s);
        if (cb != null) {
          window.release();
          cb.done(error);
        }
      }
    } else {
      SendCallback cb = outstanding.remove(seq);
      if (cb != null) {
        window.release();
        cb.done(error);
      }
    }
  }

  @Override
  public String implementation() {
    return "native";
  }

  @Override
  public String settings() {
    return "amqp-client: durable direct exchange + durable queue, persistent, async confirms (window "
        + CONFIRM_WINDOW + "), basicQos(" + QOS + "), ack multiple every " + ACK_EVERY;
  }

  private static String exchange(String topic) {
    return "bench." + topic;
  }

  private static String queue(String topic, String group) {
    return "bench." + topic + "." + group;
  }

  @Override
  public synchronized void createTopic(String topic, int partitions) {
    try {
      admin.exchangeDeclare(exchange(topic), "direct", true);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public AutoCloseable subscribe(String topic, String group, int partitions, Sink sink) {
    try {
      String q = queue(topic, group);
      synchronized (this) {
        admin.queueDeclare(q, true, false, false, null);
        admin.queueBind(q, exchange(topic), topic);
      }
      Channel ch = connection.createChannel();
      ch.basicQos(QOS);
      ch.basicConsume(q, false, new DefaultConsumer(ch) {
        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) throws IOException {
          sink.received(body);
          if (envelope.getDeliveryTag() % ACK_EVERY == 0) {
            ch.basicAck(envelope.getDeliveryTag(), true);
          }
        }
      });
      return ch::close;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void send(String topic, byte[] body, SendCallback callback) {
    try {
      window.acquire();
      synchronized (publish) {
        long seq = publish.getNextPublishSeqNo();
        outstanding.put(seq, callback);
        publish.basicPublish(exchange(topic), topic, MessageProperties.PERSISTENT_BASIC, body);
      }
    } catch (IOException | InterruptedException e) {
      callback.done(e);
    }
  }

  @Override
  public void delete(String topic, String group) {
    // one channel per name: deleting a missing entity may close the channel
    for (String q : new String[] {queue(topic, group), "unimq." + topic + "." + group, "unimq." + topic + "." + group + ".dlq"}) {
      quietly(ch -> ch.queueDelete(q));
    }
    for (String x : new String[] {exchange(topic), "unimq." + topic}) {
      quietly(ch -> ch.exchangeDelete(x));
    }
  }

  private interface ChannelOp {
    void run(Channel ch) throws IOException;
  }

  private void quietly(ChannelOp op) {
    try (Channel ch = connection.createChannel()) {
      op.run(ch);
    } catch (Exception e) {
      // best effort
    }
  }

  @Override
  public void close() {
    try {
      connection.close(3000);
    } catch (Exception e) {
      // best effort
    }
  }
}
