package io.unimq.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unimq.api.Delivery;
import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.testbrokers.BrokerTools;
import io.unimq.testbrokers.TestBrokers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The wire format of docs/wire-format.md against the test RabbitMQ, with {@code rabbitmqadmin}: a
 * native producer's message reaches a unimq group, a queue bound the usual way to the topic's
 * {@code unimq.<topic>.all} exchange receives every unimq message, read as text.
 */
class RabbitWireFormatTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String topic() {
    return "wire-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void aNativeProducersMessageReachesAUnimqGroupWithBodyKeyAndHeaders() throws Exception {
    String topic = topic();
    List<Delivery> seen = new CopyOnWriteArrayList<>();
    List<String> ids = new CopyOnWriteArrayList<>();
    try (MqClient client = Mq.connect(TestBrokers.rabbitmqUri())) {
      client.subscribe(topic, "g", d -> {
        ids.add(d.id());
        if (d.attempt() == 1 && d.bodyAsString().equals("keyed")) {
          throw new IllegalStateException("fail once: the retry must keep the id");
        }
        seen.add(d);
      });
      rabbitmqadmin("publish", "exchange=unimq." + topic, "routing_key=7", "payload=keyed",
          "properties={\"headers\":{\"x-unimq-key\":\"order-7\",\"trace\":\"t-1\"}}");
      rabbitmqadmin("publish", "exchange=unimq." + topic, "routing_key=0", "payload=plain",
          "properties={\"headers\":{\"count\":3},\"content_type\":\"text/plain\"}");
      Awaitility.await().atMost(WAIT).until(() -> seen.size() == 2);
      Delivery keyed = seen.stream().filter(d -> d.bodyAsString().equals("keyed")).findFirst().orElseThrow();
      Delivery plain = seen.stream().filter(d -> d.bodyAsString().equals("plain")).findFirst().orElseThrow();
      assertThat(keyed.key()).isEqualTo("order-7");
      assertThat(keyed.headers()).contains(entry("trace", "t-1")).doesNotContainKey("x-unimq-key");
      assertThat(plain.key()).isNull();
      assertThat(plain.headers()).containsExactly(entry("count", "3"));
      assertThat(ids.stream().filter(keyed.id()::equals)).hasSize(2);
      assertThat(plain.id()).isNotEqualTo(keyed.id());
    }
  }

  @Test
  void aQueueBoundToTheAllExchangeReceivesEveryUnimqMessageReadableAsText() throws Exception {
    String topic = topic();
    String queue = "native-" + topic;
    try (MqClient client = Mq.connect(TestBrokers.rabbitmqUri())) {
      client.admin().declareTopic(topic);
      rabbitmqadmin("declare", "queue", "name=" + queue, "durable=false");
      rabbitmqadmin("declare", "binding", "source=unimq." + topic + ".all", "destination=" + queue, "routing_key=#");
      try {
        Set<String> sent = new HashSet<>();
        Message first = Message.builder(topic).key("k-1").header("trace", "t-9").body("plain text").build();
        client.producer().send(first);
        sent.add(first.id());
        for (int i = 0; i < 15; i++) {
          Message.Builder b = Message.builder(topic).body("m-" + i);
          if (i % 3 == 1) {
            b.key("k-" + i);
          } else if (i % 3 == 2) {
            b.delay(Duration.ofMillis(200));
          }
          Message m = b.build();
          client.producer().send(m);
          sent.add(m.id());
        }
        List<JsonNode> got = new ArrayList<>();
        Awaitility.await().atMost(WAIT).until(() -> {
          JsonNode batch = JSON.readTree(rabbitmqadmin("-f", "raw_json", "get", "queue=" + queue, "count=100",
              "ackmode=ack_requeue_false", "encoding=auto"));
          batch.forEach(got::add);
          return got.size() >= sent.size();
        });
        Set<String> received = new HashSet<>();
        got.forEach(n -> received.add(n.path("properties").path("message_id").asText()));
        assertThat(received).isEqualTo(sent);
        JsonNode one = got.stream().filter(n -> n.path("properties").path("message_id").asText().equals(first.id())).findFirst().orElseThrow();
        assertThat(one.path("payload").asText()).isEqualTo("plain text");
        assertThat(one.path("payload_encoding").asText()).isEqualTo("string");
        assertThat(one.path("properties").path("headers").path("x-unimq-key").asText()).isEqualTo("k-1");
        assertThat(one.path("properties").path("headers").path("trace").asText()).isEqualTo("t-9");
      } finally {
        rabbitmqadmin("delete", "queue", "name=" + queue);
      }
    }
  }

  static String rabbitmqadmin(String... args) {
    return BrokerTools.run(BrokerTools.rabbitmqadmin(), args);
  }
}
