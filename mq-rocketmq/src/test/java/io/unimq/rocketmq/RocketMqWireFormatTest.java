package io.unimq.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.unimq.api.Delivery;
import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.testbrokers.BrokerTools;
import io.unimq.testbrokers.TestBrokers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.client.apis.producer.SendReceipt;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The wire format of docs/wire-format.md against the test RocketMQ: a native producer's message
 * (any tag or none) reaches a unimq group with body, key (KEYS or message group) and properties; a
 * unimq message read with RocketMQ's {@code mqadmin} shows body, KEYS and properties as text; a
 * native SimpleConsumer on the topic's physical topics receives every unimq message.
 */
class RocketMqWireFormatTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ClientServiceProvider NATIVE = ClientServiceProvider.loadService();

  private static ClientConfiguration nativeConfig() {
    return ClientConfiguration.newBuilder().setEndpoints(TestBrokers.rocketmqProxy()).setRequestTimeout(Duration.ofSeconds(10)).build();
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void aNativeProducersMessagesReachAUnimqGroupWithBodyKeyAndHeaders() throws Exception {
    String topic = unique("wire-in");
    List<Delivery> seen = new CopyOnWriteArrayList<>();
    List<String> firstIds = new CopyOnWriteArrayList<>();
    try (MqClient client = Mq.connect(RocketMqCompatibilityTest.URI)) {
      client.subscribe(topic, unique("g"), d -> {
        if (d.attempt() == 1) {
          firstIds.add(d.id());
          throw new IllegalStateException("fail once: the redelivery must keep the id");
        }
        seen.add(d);
      });
      SendReceipt plain;
      SendReceipt grouped;
      try (Producer p = NATIVE.newProducerBuilder().setClientConfiguration(nativeConfig()).build()) {
        plain = p.send(NATIVE.newMessageBuilder().setTopic(topic).setKeys("order-7", "other-key")
            .addProperty("trace", "t-1").setBody("untagged".getBytes(StandardCharsets.UTF_8)).build());
        grouped = p.send(NATIVE.newMessageBuilder().setTopic(topic + "_FIFO").setTag("billing").setMessageGroup("customer-3")
            .addProperty("trace", "t-2").setBody("grouped".getBytes(StandardCharsets.UTF_8)).build());
      }
      Awaitility.await().atMost(WAIT).until(() -> seen.size() == 2);
      Delivery a = seen.stream().filter(d -> d.bodyAsString().equals("untagged")).findFirst().orElseThrow();
      Delivery b = seen.stream().filter(d -> d.bodyAsString().equals("grouped")).findFirst().orElseThrow();
      assertThat(a.key()).isEqualTo("order-7");
      assertThat(a.headers()).containsExactly(entry("trace", "t-1"));
      assertThat(a.id()).isEqualTo(plain.getMessageId().toString());
      assertThat(b.key()).isEqualTo("customer-3");
      assertThat(b.headers()).containsExactly(entry("trace", "t-2"));
      assertThat(b.id()).isEqualTo(grouped.getMessageId().toString());
      assertThat(firstIds).containsExactlyInAnyOrder(a.id(), b.id());
    }
  }

  @Test
  void aUnimqMessageReadsAsTextWithMqadmin() throws Exception {
    String topic = unique("wire-out");
    try (MqClient client = Mq.connect(RocketMqCompatibilityTest.URI)) {
      client.admin().declareGroup(topic, unique("g"));
      Message m = Message.builder(topic).key("k-42").header("trace", "t-9").body("plain text body").build();
      String msgId = client.producer().send(m).position();
      String out = Awaitility.await().atMost(WAIT).pollInterval(Duration.ofSeconds(2))
          .until(() -> mqadmin("queryMsgByUniqueKey", "-t", topic + "_FIFO", "-i", msgId), s -> s.contains("k-42"));
      assertThat(out).contains("Keys:", "k-42").contains("trace=t-9").contains("unimq-rmq-id=" + m.id());
      Matcher path = Pattern.compile("Message Body Path:\\s*(\\S+)").matcher(out);
      assertThat(path.find()).as(out).isTrue();
      assertThat(Files.readString(Path.of(path.group(1)))).isEqualTo("plain text body");
    }
  }

  @Test
  void aNativeConsumerOfThePhysicalTopicsReceivesEveryUnimqMessage() throws Exception {
    String topic = unique("wire-all");
    String nativeGroup = unique("native");
    try (MqClient client = Mq.connect(RocketMqCompatibilityTest.URI)) {
      client.admin().declareTopic(topic);
      List<SimpleConsumer> consumers = new ArrayList<>();
      Set<String> received = java.util.concurrent.ConcurrentHashMap.newKeySet();
      try {
        for (String physical : List.of(topic, topic + "_FIFO", topic + "_DELAY")) {
          consumers.add(NATIVE.newSimpleConsumerBuilder().setClientConfiguration(nativeConfig()).setConsumerGroup(nativeGroup)
              .setAwaitDuration(Duration.ofSeconds(1)).setSubscriptionExpressions(Map.of(physical, FilterExpression.SUB_ALL)).build());
        }
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < 12; i++) {
          Message.Builder b = Message.builder(topic).body("m-" + i);
          if (i % 3 == 1) {
            b.key("k-" + i);
          } else if (i % 3 == 2) {
            b.delay(Duration.ofSeconds(1));
          }
          Message m = b.build();
          client.producer().send(m);
          sent.add(m.id());
        }
        Awaitility.await().atMost(WAIT).until(() -> {
          for (SimpleConsumer c : consumers) {
            for (MessageView v : c.receive(32, Duration.ofSeconds(30))) {
              received.add(v.getProperties().get("unimq-rmq-id"));
              c.ack(v);
            }
          }
          return received.size() == sent.size();
        });
        assertThat(received).isEqualTo(sent);
      } finally {
        for (SimpleConsumer c : consumers) {
          c.close();
        }
      }
    }
  }

  /** RocketMQ's admin tool from the broker distribution the launcher fetched, against the test name server. */
  static String mqadmin(String... args) {
    List<String> cmd = new ArrayList<>(List.of(args));
    cmd.addAll(List.of("-n", TestBrokers.rocketmqNamesrv()));
    return BrokerTools.run(BrokerTools.mqadmin(), cmd.toArray(String[]::new));
  }
}
