package io.unimq.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.SubscriptionOptions;
import io.unimq.tck.TckNames;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code queueType} and {@code delayLadder} parameters on the single-node test broker: classic group
 * queues by default there, with the quorum delay ladder (at-least-once dead-lettering); quorum queues
 * when asked; the classic ladder when asked; and a clear error, never a re-declaration, for a classic
 * group asked to be quorum or a ladder the broker refuses.
 */
@Timeout(120)
class RabbitQueueTypeTest {
  private final ManagementView view = new ManagementView();
  private final String topic = TckNames.unique("qtype");

  private static MqClient connect(String parameters) {
    return Mq.connect(RabbitTestBroker.uri() + parameters);
  }

  private JsonNode queue(String name) throws Exception {
    JsonNode q = view.queue(name);
    assertThat(q).as("queue %s", name).isNotNull();
    return q;
  }

  @Test
  void aSingleNodeGetsClassicGroupQueuesAndTheQuorumDelayLadderByDefault() throws Exception {
    try (MqClient c = connect("")) {
      c.admin().declareGroup(topic, "g");
    }
    assertThat(queue("unimq." + topic + ".g").get("type").asText()).isEqualTo("classic");
    assertThat(queue("unimq." + topic + ".g.dlq").get("type").asText()).isEqualTo("classic");
    // classic queues dead-letter at most once: the ladder is of quorum queues, which dead-letter at least once
    for (int k = 0; k < 28; k++) {
      JsonNode args = queue("unimq.$qdelay." + (1L << k)).get("arguments");
      assertThat(args.get("x-queue-type").asText()).isEqualTo("quorum");
      assertThat(args.get("x-dead-letter-strategy").asText()).isEqualTo("at-least-once");
    }
    assertThat(view.bindingsFrom("unimq.$qdelay.due")).contains("unimq." + topic + " <- ", "unimq." + topic + ".g <- ");
  }

  @Test
  void aClassicGroupRetriesAndDelaysThroughTheQuorumLadder() {
    List<String> got = new CopyOnWriteArrayList<>();
    List<String> other = new CopyOnWriteArrayList<>();
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    try (MqClient c = connect("")) {
      c.subscribe(topic, "g", d -> {
        attempts.add(d.attempt());
        if (d.attempt() < 3) {
          throw new IllegalStateException("not yet");
        }
        got.add(d.bodyAsString());
      });
      c.subscribe(topic, "other", d -> other.add(d.bodyAsString()));
      long start = System.nanoTime();
      c.producer().send(Message.builder(topic).body("later").delay(Duration.ofMillis(700)).build());
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> got.contains("later"));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
      assertThat(attempts).containsExactly(1, 2, 3);
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> other.contains("later"));
      // the retries went back to group g only
      Awaitility.await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(other).containsExactly("later"));
    }
  }

  @Test
  void delayLadderClassicKeepsTheClassicLadder() throws Exception {
    List<String> got = new CopyOnWriteArrayList<>();
    try (MqClient c = connect("&delayLadder=classic")) {
      c.subscribe(topic, "g", d -> got.add(d.bodyAsString()));
      c.producer().send(Message.builder(topic).body("later").delay(Duration.ofMillis(300)).build());
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> got.contains("later"));
    }
    assertThat(queue("unimq.$delay.256").get("type").asText()).isEqualTo("classic");
    assertThat(view.bindingsFrom("unimq.$delay.due")).contains("unimq." + topic + " <- ", "unimq." + topic + ".g <- ");
  }

  @Test
  void messagesInTheClassicLadderStillArriveAfterAnUpgradeToTheQuorumLadder() {
    List<String> got = new CopyOnWriteArrayList<>();
    try (MqClient before = connect("&delayLadder=classic")) {
      before.admin().declareGroup(topic, "g");
      before.producer().send(Message.builder(topic).body("sent before").delay(Duration.ofSeconds(3)).build());
    }
    try (MqClient after = connect("")) {
      after.subscribe(topic, "g", d -> got.add(d.bodyAsString()));
      after.producer().send(Message.builder(topic).body("sent after").delay(Duration.ofMillis(500)).build());
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> got.size() == 2);
    }
    assertThat(got).containsExactlyInAnyOrder("sent after", "sent before");
  }

  @Test
  void aBrokerThatRefusesTheQuorumLadderIsAConfigurationErrorNamingTheWayOut() throws Exception {
    String vhost = TckNames.unique("qladder");
    assertThat(view.change("/api/vhosts/" + vhost, "{}")).isBetween(200, 204);
    try {
      assertThat(view.change("/api/permissions/" + vhost + "/unimq", "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}"))
          .isBetween(200, 204);
      // a classic queue squats the name of the quorum ladder's first level
      assertThat(view.change("/api/queues/" + vhost + "/" + java.net.URLEncoder.encode("unimq.$qdelay.1", java.nio.charset.StandardCharsets.UTF_8),
          "{\"durable\":true}")).isBetween(200, 204);
      String uri = RabbitTestBroker.uri().replace("/%2F?", "/" + vhost + "?");
      assertThatThrownBy(() -> Mq.connect(uri)).isInstanceOf(MqConfigurationException.class)
          .hasMessageContaining("unimq.$qdelay").hasMessageContaining("delayLadder=classic");
      try (MqClient classic = Mq.connect(uri + "&delayLadder=classic")) {
        classic.admin().declareGroup(topic, "g");
      }
    } finally {
      view.change("/api/vhosts/" + vhost, null);
    }
  }

  @Test
  void queueTypeQuorumDeclaresQuorumGroupPartitionDeadLetterAndLadderQueues() throws Exception {
    try (MqClient c = connect("&queueType=quorum&partitions=2")) {
      c.admin().declareGroup(topic, "plain");
      var sub = c.subscribe(topic, "ordered", SubscriptionOptions.builder().ordered(true).build(), d -> {});
      sub.close();
    }
    for (String q : List.of("plain", "plain.dlq", "ordered.p0", "ordered.p1", "ordered.dlq")) {
      JsonNode node = queue("unimq." + topic + "." + q);
      assertThat(node.get("type").asText()).as(q).isEqualTo("quorum");
      assertThat(node.get("durable").asBoolean()).as(q).isTrue();
    }
    assertThat(queue("unimq." + topic + ".ordered.p0").get("arguments").get("x-single-active-consumer").asBoolean()).isTrue();
    for (int k = 0; k < 28; k++) {
      long ms = 1L << k;
      JsonNode args = queue("unimq.$qdelay." + ms).get("arguments");
      assertThat(args.get("x-queue-type").asText()).isEqualTo("quorum");
      assertThat(args.get("x-message-ttl").asLong()).isEqualTo(ms);
      assertThat(args.get("x-dead-letter-exchange").asText()).isEqualTo("unimq.$qdelay." + ms + ".next");
      assertThat(args.get("x-dead-letter-strategy").asText()).isEqualTo("at-least-once");
      assertThat(args.get("x-overflow").asText()).isEqualTo("reject-publish");
    }
    assertThat(queue("unimq.$qdelay.drop").get("arguments").get("x-max-length").asInt()).isZero();
    assertThat(view.bindingsFrom("unimq.$qdelay.due")).contains("unimq." + topic + " <- ", "unimq." + topic + ".plain <- ");
  }

  @Test
  void quorumQueuesKeepDelayRetryAndTheDeliveryCount() {
    List<String> got = new CopyOnWriteArrayList<>();
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    try (MqClient c = connect("&queueType=quorum")) {
      c.subscribe(topic, "g", d -> {
        attempts.add(d.attempt());
        if (d.attempt() < 2) {
          throw new IllegalStateException("once more");
        }
        got.add(d.bodyAsString());
      });
      long start = System.nanoTime();
      c.producer().send(Message.builder(topic).body("later").delay(Duration.ofMillis(700)).build());
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> got.contains("later"));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
      assertThat(attempts).containsExactly(1, 2);
    }
  }

  @Test
  void aDueMessageForATopicWithoutGroupsIsDroppedNotKeptInTheQuorumLadder() throws Exception {
    try (MqClient c = connect("&queueType=quorum")) {
      c.admin().declareTopic(topic);
      c.producer().send(Message.builder(topic).body("nobody").delay(Duration.ofMillis(64)).build());
      // the 64 ms level dead-letters it to a due exchange that routes it to no group: the drop queue takes it
      Awaitility.await().pollDelay(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(queue("unimq.$qdelay.64").path("messages").asLong()).isZero());
      assertThat(queue("unimq.$qdelay.64").path("messages_dlx").asLong()).as("held for at-least-once dead-lettering").isZero();
      c.admin().declareGroup(topic, "late");
      assertThat(c.admin().lag(topic, "late")).isZero();
    }
  }

  @Test
  void askingForQuorumOverExistingClassicQueuesIsAClearErrorAndChangesNothing() throws Exception {
    try (MqClient classic = connect("&queueType=classic")) {
      classic.admin().declareGroup(topic, "g");
    }
    try (MqClient quorum = connect("&queueType=quorum")) {
      assertThatThrownBy(() -> quorum.admin().declareGroup(topic, "g"))
          .isInstanceOf(MqConfigurationException.class)
          .hasMessageContaining("unimq." + topic + ".g")
          .hasMessageContaining("exists as a classic queue")
          .hasMessageContaining("queueType=classic")
          .hasMessageContaining("migrate");
      assertThatThrownBy(() -> quorum.subscribe(topic, "g", d -> {})).isInstanceOf(MqConfigurationException.class);
      quorum.admin().declareGroup(topic, "other"); // the client stays usable
    }
    assertThat(queue("unimq." + topic + ".g").get("type").asText()).isEqualTo("classic");
    assertThat(queue("unimq." + topic + ".g.dlq").get("type").asText()).isEqualTo("classic");
  }

  @Test
  void aClassicClientOverExistingQuorumQueuesIsAClearErrorToo() throws Exception {
    try (MqClient quorum = connect("&queueType=quorum")) {
      quorum.admin().declareGroup(topic, "g");
    }
    try (MqClient classic = connect("")) {
      assertThatThrownBy(() -> classic.subscribe(topic, "g", d -> {}))
          .isInstanceOf(MqConfigurationException.class)
          .hasMessageContaining("unimq." + topic + ".g")
          .hasMessageContaining("exists as a quorum queue")
          .hasMessageContaining("queueType=quorum");
    }
    assertThat(queue("unimq." + topic + ".g").get("type").asText()).isEqualTo("quorum");
  }

  @Test
  void aBadQueueTypeIsAConfigurationErrorNamingTheParameter() {
    assertThatThrownBy(() -> connect("&queueType=stream")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("queueType").hasMessageContaining("quorum").hasMessageContaining("classic");
  }

  @Test
  void aBadDelayLadderIsAConfigurationErrorNamingTheParameter() {
    assertThatThrownBy(() -> connect("&delayLadder=stream")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("delayLadder").hasMessageContaining("quorum").hasMessageContaining("classic");
  }
}
