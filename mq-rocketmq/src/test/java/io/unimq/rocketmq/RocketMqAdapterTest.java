package io.unimq.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.SubscriptionOptions;
import io.unimq.api.TransactionState;
import io.unimq.api.TransactionalProducer;
import io.unimq.testbrokers.TestBrokers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RocketMQ-specific behaviour: the message-type mapping, native check-back, and a broker restart. */
class RocketMqAdapterTest {
  static final String URI = RocketMqCompatibilityTest.URI;
  static final String BROKER = "127.0.0.1:" + TestBrokers.env("ROCKETMQ_BROKER_PORT");
  static final String NAMESRV = TestBrokers.rocketmqNamesrv();
  private final List<MqClient> clients = new ArrayList<>();

  MqClient client() {
    MqClient c = Mq.connect(URI);
    clients.add(c);
    return c;
  }

  @AfterEach
  void close() {
    clients.forEach(c -> c.close(Duration.ofSeconds(5)));
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void plainKeyedDelayedAndTransactionalMessagesUseFourTypedTopicsAndReachOneGroup() throws Exception {
    String topic = unique("types");
    String group = unique("types-g");
    MqClient c = client();
    Map<String, String> seen = new ConcurrentHashMap<>();
    c.subscribe(topic, group, SubscriptionOptions.builder().build(), d -> seen.put(d.message().bodyAsString(), d.message().id()));
    c.producer().send(Message.builder(topic).body("plain").build());
    c.producer().send(Message.builder(topic).key("k1").body("keyed").build());
    c.producer().send(Message.builder(topic).delay(Duration.ofSeconds(2)).body("delayed").build());
    TransactionalProducer tx = c.transactionalProducer(unique("types-pg"), half -> TransactionState.COMMIT);
    assertThat(tx.sendInTransaction(Message.builder(topic).body("transactional").build(), m -> TransactionState.COMMIT))
        .isEqualTo(TransactionState.COMMIT);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 4);
    assertThat(seen).containsOnlyKeys("plain", "keyed", "delayed", "transactional");

    DefaultMQAdminExt admin = new DefaultMQAdminExt(5000);
    admin.setNamesrvAddr(NAMESRV);
    admin.setInstanceName(unique("test-admin"));
    admin.start();
    try {
      Map<String, String> types = new ConcurrentHashMap<>();
      for (String suffix : List.of("", "_FIFO", "_DELAY", "_TX")) {
        TopicConfig config = admin.examineTopicConfig(BROKER, topic + suffix);
        types.put(suffix, config.getAttributes().get("message.type"));
      }
      assertThat(types).containsEntry("", "NORMAL").containsEntry("_FIFO", "FIFO")
          .containsEntry("_DELAY", "DELAY").containsEntry("_TX", "TRANSACTION");
      TopicConfig dlq = admin.examineTopicConfig(BROKER, "%DLQ%" + group);
      assertThat(dlq.getPerm()).as("dead-letter topic readable and writable").isEqualTo(6);
      assertThat(admin.examineSubscriptionGroupConfig(BROKER, group).getRetryMaxTimes())
          .as("native retries never dead-letter before the engine").isGreaterThanOrEqualTo(1000);
    } finally {
      admin.shutdown();
    }
  }

  @Test
  void keyedSendsMadeWithoutWaitingAreStoredAndDeliveredInSendOrderPerKey() {
    String topic = unique("pipelined");
    MqClient c = client();
    Map<String, List<Integer>> firstDeliveries = new ConcurrentHashMap<>();
    Set<String> seen = ConcurrentHashMap.newKeySet();
    c.subscribe(topic, unique("pipelined-g"), SubscriptionOptions.builder().ordered(true).build(), d -> {
      if (seen.add(d.message().id())) {
        firstDeliveries.computeIfAbsent(d.message().key(), k -> new CopyOnWriteArrayList<>())
            .add(Integer.parseInt(d.message().bodyAsString()));
      }
    });
    int keys = 3;
    int total = 300;
    List<java.util.concurrent.CompletableFuture<?>> sends = new ArrayList<>();
    for (int i = 0; i < total; i++) { // all handed over at once: many sends of a key on their way together
      sends.add(c.producer().sendAsync(Message.builder(topic).key("k" + i % keys).body(Integer.toString(i)).build())
          .toCompletableFuture());
    }
    java.util.concurrent.CompletableFuture.allOf(sends.toArray(new java.util.concurrent.CompletableFuture<?>[0])).join();
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() == total);
    for (int k = 0; k < keys; k++) {
      List<Integer> expected = new ArrayList<>();
      for (int i = k; i < total; i += keys) {
        expected.add(i);
      }
      assertThat(firstDeliveries.get("k" + k)).as("first deliveries of key k" + k).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void theFirstClientFixesATopicsQueueCountsAndALaterOneWithOtherCountsLeavesThem() throws Exception {
    String topic = unique("sized");
    MqClient first = Mq.connect(URI + "&queues=2&fifoQueues=3");
    clients.add(first);
    first.admin().declareTopic(topic);
    MqClient second = Mq.connect(URI + "&queues=6&fifoQueues=7");
    clients.add(second);
    second.admin().declareTopic(topic);
    second.producer().send(Message.builder(topic).key("k").body("after the second declaration").build());

    DefaultMQAdminExt admin = new DefaultMQAdminExt(5000);
    admin.setNamesrvAddr(NAMESRV);
    admin.setInstanceName(unique("test-admin"));
    admin.start();
    try {
      assertThat(admin.examineTopicConfig(BROKER, topic).getWriteQueueNums()).isEqualTo(2);
      assertThat(admin.examineTopicConfig(BROKER, topic + "_FIFO").getReadQueueNums()).isEqualTo(3);
      assertThat(admin.examineTopicConfig(BROKER, topic + "_FIFO").getWriteQueueNums()).isEqualTo(3);
    } finally {
      admin.shutdown();
    }
  }

  @Test
  void aHalfMessageOfAClosedProducerIsCommittedByCheckBackOnAnotherProducerOfTheGroup() {
    String topic = unique("orphan");
    String group = unique("orphan-g");
    String producerGroup = unique("orphan-pg");
    MqClient consumer = client();
    List<String> got = new CopyOnWriteArrayList<>();
    consumer.subscribe(topic, group, SubscriptionOptions.builder().build(), d -> got.add(d.message().id()));

    MqClient dying = Mq.connect(URI);
    Message m = Message.builder(topic).body("orphan").build();
    TransactionalProducer first = dying.transactionalProducer(producerGroup, half -> TransactionState.UNKNOWN);
    assertThat(first.sendInTransaction(m, half -> TransactionState.UNKNOWN)).isEqualTo(TransactionState.UNKNOWN);
    dying.close(Duration.ofSeconds(5));
    Instant closed = Instant.now();

    Set<String> asked = ConcurrentHashMap.newKeySet();
    client().transactionalProducer(producerGroup, half -> {
      asked.add(half.id());
      return half.id().equals(m.id()) ? TransactionState.COMMIT : TransactionState.UNKNOWN;
    });
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> got.contains(m.id()));
    assertThat(asked).contains(m.id());
    System.out.printf("orphaned half resolved %d ms after its producer closed%n", Duration.between(closed, Instant.now()).toMillis());
  }
}
