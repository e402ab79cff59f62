package io.unimq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.RetryPolicy;
import io.unimq.api.SubscriptionOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The command line against one real broker, run as a process: what a user types, what it prints, how it exits. Each
 * broker's test names its URI; the dead letters are made with the Java API.
 */
abstract class BrokerCliIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  /** The broker's URI, for the Java API. */
  abstract String uri();

  /** How the command line gets the broker: UNIMQ_URI, plus the password where it has one. */
  Map<String, String> env() {
    return Map.of("UNIMQ_URI", uri());
  }

  /** Whether tail can delete its temporary group on exit (RocketMQ's proxy holds the closed consumer's connection). */
  boolean tailDeletesItsGroup() {
    return true;
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  Cli.Result cli(String... args) {
    return Cli.run(env(), null, args);
  }

  @Test
  void aMessageSentIsPrintedByTailThroughATemporaryGroup() {
    String topic = unique("cli-tail");
    Cli.Running tail = Cli.tail(env(), topic, "--max", "1", "--timeout", "100s", "--output", "json");
    tail.awaitErr("as temporary group unimq-tail-");

    JsonNode sent = cli("send", topic, "hello from the command line", "--key", "k1", "--header", "type=demo",
        "--output", "json").expect(0).json();

    Cli.Result tailed = tail.await().expect(0);
    JsonNode received = Cli.json(tailed.out().strip());
    assertThat(received.get("id").asText()).isEqualTo(sent.get("id").asText());
    assertThat(received.get("body").asText()).isEqualTo("hello from the command line");
    assertThat(received.get("key").asText()).isEqualTo("k1");
    assertThat(received.get("headers").get("type").asText()).isEqualTo("demo");
    if (tailDeletesItsGroup()) {
      assertThat(tailed.err()).containsPattern("tail: 1 message; temporary group unimq-tail-[0-9a-f]+ deleted");
      assertThat(cli("groups", topic, "--output", "json").expect(0).json().get("groups")).isEmpty();
    } else {
      assertThat(tailed.err()).containsPattern("tail: 1 message; left behind: .*unimq-tail-[0-9a-f]+.*\\(deleting it failed: ");
    }
  }

  @Test
  void topicsAndGroupsAreListedAndAGroupIsDeletedOnlyWhenConfirmed() {
    String topic = unique("cli-groups");
    String idle = unique("idle");
    String busy = unique("busy");
    Queue<String> handled = new ConcurrentLinkedQueue<>();
    try (MqClient client = Mq.connect(uri())) {
      client.admin().declareGroup(topic, idle);
      client.subscribe(topic, busy, d -> handled.add(d.bodyAsString()));
      for (int i = 0; i < 3; i++) {
        client.producer().send(Message.builder(topic).body("m" + i).build());
      }
      await().atMost(WAIT).until(() -> handled.size() == 3 && client.admin().lag(topic, idle) == 3);

      JsonNode topics = cli("topics", "--output", "json").expect(0).json().get("topics");
      assertThat(topics.toString()).contains("\"" + topic + "\"");
      assertThat(cli("topics").expect(0).out()).startsWith("TOPIC" + System.lineSeparator()).contains(topic + System.lineSeparator());

      // members come from the broker's own statistics (RabbitMQ's management API refreshes them every few
      // seconds): a group that just subscribed may show none for a moment
      await().atMost(WAIT).untilAsserted(() -> {
        JsonNode groups = cli("groups", topic, "--output", "json").expect(0).json();
        assertThat(groups.get("topic").asText()).isEqualTo(topic);
        assertThat(groups.get("groups")).hasSize(2);
        JsonNode first = groups.get("groups").get(0);
        JsonNode second = groups.get("groups").get(1);
        JsonNode idleRow = first.get("name").asText().equals(idle) ? first : second;
        JsonNode busyRow = idleRow == first ? second : first;
        assertThat(idleRow.get("name").asText()).isEqualTo(idle);
        assertThat(idleRow.get("lag").asLong()).isEqualTo(3);
        assertThat(idleRow.get("members").isNull() || idleRow.get("members").asInt() == 0).as("idle members %s", idleRow).isTrue();
        assertThat(busyRow.get("name").asText()).isEqualTo(busy);
        assertThat(busyRow.get("members").isNull() || busyRow.get("members").asInt() >= 1).as("busy members %s", busyRow).isTrue();
      });
      assertThat(cli("groups", topic).expect(0).out()).startsWith("GROUP").contains("MEMBERS").contains("LAG")
          .containsPattern(idle + " +(0|\\?) +3");

      Cli.Result refused = cli("groups", "delete", topic, idle).expect(7);
      assertThat(refused.err()).contains("add --yes to delete group " + idle + " of " + topic);
      assertThat(client.admin().lag(topic, idle)).isEqualTo(3);

      JsonNode deleted = cli("groups", "delete", topic, idle, "--yes", "--output", "json").expect(0).json();
      assertThat(deleted.get("deleted").asBoolean()).isTrue();
      await().atMost(WAIT).untilAsserted(() -> assertThat(cli("groups", topic, "--output", "json").expect(0).json().get("groups")
          .findValuesAsText("name")).containsExactly(busy));
      assertThat(cli("groups", "delete", topic, idle, "--yes").expect(0).out())
          .isEqualTo("no group " + idle + " on " + topic + ": nothing deleted" + System.lineSeparator());
    }
  }

  @Test
  void aDeadLetterIsCountedPeekedReplayedToItsGroupAndPurged() {
    String topic = unique("cli-dlq");
    String group = unique("billing");
    AtomicBoolean failing = new AtomicBoolean(true);
    Queue<String> handled = new ConcurrentLinkedQueue<>();
    try (MqClient client = Mq.connect(uri())) {
      client.subscribe(topic, group, SubscriptionOptions.builder().retryPolicy(RetryPolicy.NONE).build(), delivery -> {
        if (failing.get()) {
          throw new IllegalStateException("cannot bill " + delivery.bodyAsString());
        }
        handled.add(delivery.bodyAsString());
      });
      client.producer().send(Message.builder(topic).key("order-1").header("origin", "cli-test").body("first").build());
      await().atMost(WAIT).until(() -> client.deadLetters(topic, group).count() == 1);

      assertThat(cli("dlq", "count", topic, group, "--output", "json").expect(0).json().get("count").asLong()).isEqualTo(1);

      JsonNode peeked = cli("dlq", "peek", topic, group, "--output", "json").expect(0).json().get("messages");
      assertThat(peeked).hasSize(1);
      JsonNode dead = peeked.get(0);
      assertThat(dead.get("body").asText()).isEqualTo("first");
      assertThat(dead.get("key").asText()).isEqualTo("order-1");
      JsonNode headers = dead.get("headers");
      assertThat(headers.get("origin").asText()).isEqualTo("cli-test");
      assertThat(headers.get("unimq-dlq-group").asText()).isEqualTo(group);
      assertThat(headers.get("unimq-dlq-original-topic").asText()).isEqualTo(topic);
      assertThat(headers.get("unimq-dlq-attempts").asText()).isEqualTo("1");
      assertThat(headers.get("unimq-dlq-exception").asText()).isEqualTo(IllegalStateException.class.getName());
      assertThat(headers.get("unimq-dlq-exception-message").asText()).isEqualTo("cannot bill first");

      failing.set(false);
      Cli.Result replay = cli("dlq", "replay", topic, group, "--yes", "--output", "json").expect(0);
      assertThat(replay.json().get("replayed").asLong()).isEqualTo(1);
      assertThat(replay.err()).contains("replay 1 dead letter of " + topic + "/" + group + "… done");
      await().atMost(WAIT).until(() -> handled.contains("first"));
      assertThat(client.deadLetters(topic, group).count()).isZero();

      failing.set(true);
      client.producer().send(Message.builder(topic).body("second").build());
      await().atMost(WAIT).until(() -> client.deadLetters(topic, group).count() == 1);
      assertThat(cli("dlq", "purge", topic, group, "--yes").expect(0).out())
          .isEqualTo("purged 1 dead letter of " + topic + "/" + group + System.lineSeparator());
      assertThat(client.deadLetters(topic, group).count()).isZero();
      assertThat(handled).containsExactly("first");

      await().atMost(WAIT).until(() -> client.admin().lag(topic, group) == 0);
      assertThat(cli("lag", topic, group, "--output", "json").expect(0).json().get("lag").asLong()).isZero();
    }
  }

  @Test
  void deadLettersArePagedWithACursorAndReplayedOrPurgedBySelection() {
    String topic = unique("cli-dlqsel");
    String group = unique("billing");
    String audit = unique("cli-audit");
    Queue<String> handled = new ConcurrentLinkedQueue<>();
    Queue<String> audited = new ConcurrentLinkedQueue<>();
    AtomicBoolean failing = new AtomicBoolean(true);
    try (MqClient client = Mq.connect(uri())) {
      client.subscribe(topic, group, SubscriptionOptions.builder().retryPolicy(RetryPolicy.NONE).build(), delivery -> {
        if (failing.get()) {
          throw new IllegalStateException("cannot bill " + delivery.bodyAsString());
        }
        handled.add(delivery.id());
      });
      client.subscribe(audit, "auditors", delivery -> audited.add(delivery.id()));
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        ids.add(client.producer().send(Message.builder(topic).header("tenant", i % 2 == 0 ? "a" : "b").body("o" + i).build())
            .messageId());
        int dead = i + 1;
        await().atMost(WAIT).until(() -> client.deadLetters(topic, group).count() == dead);
      }

      JsonNode first = cli("dlq", "peek", topic, group, "--max", "4", "--output", "json").expect(0).json();
      assertThat(first.get("messages")).extracting(m -> m.get("id").asText()).containsExactlyElementsOf(ids.subList(0, 4));
      JsonNode second = cli("dlq", "peek", topic, group, "--max", "4", "--cursor", first.get("next").asText(), "--output", "json")
          .expect(0).json();
      assertThat(second.get("messages")).extracting(m -> m.get("id").asText()).containsExactlyElementsOf(ids.subList(4, 6));
      assertThat(second.get("next").isNull()).isTrue();

      failing.set(false);
      Cli.Result replayed = cli("dlq", "replay", topic, group, "--id", ids.get(1), "--id", ids.get(4), "--yes", "--output", "json")
          .expect(0);
      assertThat(replayed.json().get("replayed").asLong()).isEqualTo(2);
      assertThat(replayed.err()).contains("done in");
      await().atMost(WAIT).until(() -> handled.containsAll(List.of(ids.get(1), ids.get(4))));

      Cli.Result moved = cli("dlq", "replay", topic, group, "--header", "tenant=a", "--oldest", "2", "--to", audit, "--yes",
          "--output", "json").expect(0);
      assertThat(moved.json().get("replayed").asLong()).isEqualTo(2);
      await().atMost(WAIT).until(() -> audited.containsAll(List.of(ids.get(0), ids.get(2))));

      assertThat(cli("dlq", "purge", topic, group, "--header", "tenant=b", "--oldest", "1", "--yes").expect(0).out())
          .isEqualTo("purged 1 dead letter of " + topic + "/" + group + System.lineSeparator());
      JsonNode left = cli("dlq", "peek", topic, group, "--output", "json").expect(0).json();
      assertThat(left.get("messages")).extracting(m -> m.get("id").asText()).containsExactly(ids.get(5));
      assertThat(handled).as("replayed back to the group").containsExactlyInAnyOrder(ids.get(1), ids.get(4));
    }
  }
}
