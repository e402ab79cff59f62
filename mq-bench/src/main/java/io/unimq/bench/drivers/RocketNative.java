package io.unimq.bench.drivers;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * rocketmq-client-java used well: {@code Producer.sendAsync} through the gRPC proxy; a
 * {@code SimpleConsumer} with {@value #RECEIVERS} receive loops of {@code receive(32, 30s)} and
 * asynchronous acks. Topics (NORMAL) are created through {@code DefaultMQAdminExt}, as RocketMQ 5
 * requires. Thread-safe.
 */
public final class RocketNative implements Driver {
  static final int RECEIVERS = 2;
  static final int BATCH = 32;

  private final ClientServiceProvider provider = ClientServiceProvider.loadService();
  private final ClientConfiguration config;
  private final Producer producer;
  private final DefaultMQAdminExt admin;
  private final String namesrv;
  private final String brokerAddr;

  public RocketNative(String proxy, String namesrv) {
    this.namesrv = namesrv;
    try {
      admin = new DefaultMQAdminExt(5000);
      admin.setNamesrvAddr(namesrv);
      admin.setInstanceName("unimq-bench-" + System.nanoTime());
      admin.setVipChannelEnabled(false);
      admin.start();
      brokerAddr = admin.examineBrokerClusterInfo().getBrokerAddrTable().values().iterator().next().selectBrokerAddr();
      config = ClientConfiguration.newBuilder().setEndpoints(proxy).enableSsl(false)
          .setRequestTimeout(Duration.ofSeconds(5)).build();
      producer = provider.newProducerBuilder().setClientConfiguration(config).build();
    } catch (Exception e) {
      throw new IllegalStateException("cannot connect to RocketMQ at " + proxy + " / " + namesrv + ": " + e, e);
    }
  }

  @Override
  public String implementation() {
    return "native";
  }

  @Override
  public String settings() {
    return "rocketmq-client-java: Producer.sendAsync; SimpleConsumer, " + RECEIVERS + " receive loops of receive(" + BATCH + ", 30s), ackAsync";
  }

  @Override
  public void createTopic(String topic, int partitions) {
    TopicConfig c = new TopicConfig(topic, partitions, partitions, PermName.PERM_READ | PermName.PERM_WRITE);
    c.setAttributes(Map.of("+message.type", "NORMAL"));
    try {
      admin.createAndUpdateTopicConfig(brokerAddr, c);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create RocketMQ topic " + topic + ": " + e, e);
    }
  }

  @Override
  public AutoCloseable subscribe(String topic, String group, int partitions, Sink sink) {
    SimpleConsumer consumer;
    try {
      consumer = provider.newSimpleConsumerBuilder().setClientConfiguration(config).setConsumerGroup(group)
          .setAwaitDuration(Duration.ofSeconds(1))
          .setSubscriptionExpressions(Map.of(topic, FilterExpression.SUB_ALL)).build();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start a SimpleConsumer for " + topic + ": " + e, e);
    }
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < RECEIVERS; i++) {
      Thread t = new Thread(() -> {
        while (!stop.get()) {
          try {
            for (MessageView v : consumer.receive(BATCH, Duration.ofSeconds(30))) {
              ByteBuffer b = v.getBody();
              byte[] body = new byte[b.remaining()];
              b.get(body);
              sink.received(body);
              consumer.ackAsync(v);
            }
          } catch (Exception e) {
            if (!stop.get()) {
              sleep(100);
            }
          }
        }
      }, "bench-rocketmq-consumer-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    return () -> {
      stop.set(true);
      for (Thread t : threads) {
        t.join(3000);
      }
      consumer.close();
    };
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void send(String topic, byte[] body, SendCallback callback) {
    producer.sendAsync(provider.newMessageBuilder().setTopic(topic).setBody(body).build())
        .whenComplete((r, e) -> callback.done(e));
  }

  @Override
  public void delete(String topic, String group) {
    for (String t : new String[] {topic, topic + "_FIFO", topic + "_DELAY", topic + "_TX", "%DLQ%" + group, "%RETRY%" + group}) {
      try {
        admin.deleteTopicInBroker(Set.of(brokerAddr), t);
        admin.deleteTopicInNameServer(Set.of(namesrv), t);
      } catch (Exception e) {
        // best effort
      }
    }
    try {
      admin.deleteSubscriptionGroup(brokerAddr, group, true);
    } catch (Exception e) {
      // best effort
    }
  }

  @Override
  public void close() {
    try {
      producer.close();
    } catch (Exception e) {
      // best effort
    }
    admin.shutdown();
  }
}
