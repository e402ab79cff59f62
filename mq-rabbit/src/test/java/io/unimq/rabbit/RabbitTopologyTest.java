package io.unimq.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.MqConnectionException;
import io.unimq.api.SubscriptionOptions;
import io.unimq.tck.TckNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The exchanges, queues and bindings a user sees in the management view, and URI handling. */
@Timeout(120)
class RabbitTopologyTest {
  private final ManagementView view = new ManagementView();
  private final String topic = TckNames.unique("topo");
  private MqClient client;

  @BeforeEach
  void connect() {
    client = Mq.connect(RabbitTestBroker.uri() + "&partitions=3");
  }

  @AfterEach
  void close() {
    client.close(Duration.ofSeconds(5));
  }

  @Test
  void aTopicIsADurableDirectExchangeNamedAfterIt() throws Exception {
    client.admin().declareTopic(topic);
    JsonNode x = view.exchange("unimq." + topic);
    assertThat(x).as("exchange unimq.%s", topic).isNotNull();
    assertThat(x.get("type").asText()).isEqualTo("direct");
    assertThat(x.get("durable").asBoolean()).isTrue();
    assertThat(view.bindingsFrom("unimq.$qdelay.due")).contains("unimq." + topic + " <- ");
    JsonNode all = view.exchange("unimq." + topic + ".all");
    assertThat(all).as("native consumers' exchange unimq.%s.all", topic).isNotNull();
    assertThat(all.get("type").asText()).isEqualTo("fanout");
    assertThat(all.get("durable").asBoolean()).isTrue();
    assertThat(view.bindingsFrom("unimq." + topic)).containsExactlyInAnyOrderElementsOf(everySlotTo("unimq." + topic + ".all"));
  }

  private static List<String> everySlotTo(String destination) {
    List<String> out = new ArrayList<>();
    for (int s = 0; s < 64; s++) {
      out.add(destination + " <- " + s);
    }
    return out;
  }

  @Test
  void aGroupIsADurableQueueBoundToEverySlotWithADeadLetterQueue() throws Exception {
    client.admin().declareGroup(topic, "billing");
    JsonNode q = view.queue("unimq." + topic + ".billing");
    assertThat(q).isNotNull();
    assertThat(q.get("durable").asBoolean()).isTrue();
    assertThat(q.get("arguments").has("x-single-active-consumer")).isFalse();
    assertThat(view.queue("unimq." + topic + ".billing.dlq")).as("dead-letter queue").isNotNull();
    List<String> expected = everySlotTo("unimq." + topic + ".billing");
    expected.addAll(everySlotTo("unimq." + topic + ".all"));
    assertThat(view.bindingsFrom("unimq." + topic)).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void anOrderedGroupHasSingleActiveConsumerPartitionsBoundBySlot() throws Exception {
    var sub = client.subscribe(topic, "ledger", SubscriptionOptions.builder().ordered(true).build(), d -> {});
    try {
      List<String> expected = everySlotTo("unimq." + topic + ".all");
      for (int i = 0; i < 3; i++) {
        JsonNode p = view.queue("unimq." + topic + ".ledger.p" + i);
        assertThat(p).as("partition %d", i).isNotNull();
        assertThat(p.get("arguments").get("x-single-active-consumer").asBoolean()).isTrue();
        assertThat(p.get("durable").asBoolean()).isTrue();
      }
      for (int s = 0; s < 64; s++) {
        expected.add("unimq." + topic + ".ledger.p" + (s % 3) + " <- " + s);
      }
      assertThat(view.queue("unimq." + topic + ".ledger.p3")).as("no fourth partition with partitions=3").isNull();
      assertThat(view.queue("unimq." + topic + ".ledger")).as("no plain queue for an ordered group").isNull();
      assertThat(view.bindingsFrom("unimq." + topic)).containsExactlyInAnyOrderElementsOf(expected);
    } finally {
      sub.close();
    }
  }

  @Test
  void theDelayLadderIsTtlQuorumQueuesChainedThroughHeadersExchanges() throws Exception {
    for (int k = 0; k < 28; k++) {
      long ms = 1L << k;
      JsonNode q = view.queue("unimq.$qdelay." + ms);
      assertThat(q).as("ladder level %d ms", ms).isNotNull();
      assertThat(q.get("arguments").get("x-message-ttl").asLong()).isEqualTo(ms);
      assertThat(q.get("arguments").get("x-dead-letter-exchange").asText()).isEqualTo("unimq.$qdelay." + ms + ".next");
      assertThat(q.get("type").asText()).as("at-least-once dead-lettering needs a quorum queue").isEqualTo("quorum");
      assertThat(q.get("arguments").get("x-dead-letter-strategy").asText()).isEqualTo("at-least-once");
      assertThat(view.exchange("unimq.$qdelay." + ms + ".next").get("type").asText()).isEqualTo("headers");
      // each exit routes to every lower level plus the due exchange
      assertThat(view.bindingsNodeFrom("unimq.$qdelay." + ms + ".next")).hasSize(k + 1);
    }
    assertThat(view.bindingsNodeFrom("unimq.$qdelay")).as("entry: 28 levels + due").hasSize(29);
  }

  @Test
  void aMessageToATopicWithoutAGroupCompletesAndNoLaterGroupSeesIt() throws Exception {
    Message m = Message.builder(topic).body("nobody").build();
    assertThat(client.producer().send(m).messageId()).isEqualTo(m.id());
    client.admin().declareGroup(topic, "late");
    assertThat(client.admin().lag(topic, "late")).isZero();
  }

  @Test
  void connectingToABrokerThatIsDownFailsFastNamingTheAddress() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> Mq.connect("rabbitmq://unimq:unimq@127.0.0.1:1/%2F?connectTimeout=2s"))
        .isInstanceOf(MqConnectionException.class)
        .hasMessageContaining("127.0.0.1:1")
        .hasMessageNotContaining("unimq:unimq");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void badParametersAreConfigurationErrors() {
    String base = RabbitTestBroker.uri();
    assertThatThrownBy(() -> Mq.connect(base + "&partitions=65")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("partitions");
    assertThatThrownBy(() -> Mq.connect(base + "&rabbitmq.noSuchSetting=1")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("rabbitmq.noSuchSetting");
    assertThatThrownBy(() -> Mq.connect(base + "&rabbitmq.requestedHeartbeat=soon")).isInstanceOf(MqConfigurationException.class);
  }

  @Test
  void aVendorSettingPassesThrough() {
    try (MqClient c = Mq.connect(RabbitTestBroker.uri() + "&rabbitmq.requestedHeartbeat=30")) {
      assertThat(c.scheme()).isEqualTo("rabbitmq");
    }
  }
}
