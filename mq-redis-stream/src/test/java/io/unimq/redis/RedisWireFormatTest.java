package io.unimq.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.unimq.api.Delivery;
import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.testbrokers.BrokerTools;
import io.unimq.testbrokers.TestBrokers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The wire format of docs/wire-format.md against the test Redis, with {@code redis-cli}: a native
 * producer's entry reaches a unimq group, unimq's entries read as plain fields, a native consumer
 * group on the partition streams receives every message of the topic.
 */
class RedisWireFormatTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static String topic() {
    return "wire-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void aNativeEntryReachesAUnimqGroupWithBodyKeyHeadersAndAStableId() throws Exception {
    String topic = topic();
    List<Delivery> seen = new CopyOnWriteArrayList<>();
    List<String> ids = new CopyOnWriteArrayList<>();
    try (MqClient client = Mq.connect(TestBrokers.redisUri())) {
      client.subscribe(topic, "g", d -> {
        ids.add(d.id());
        if (d.attempt() == 1) {
          throw new IllegalStateException("fail once: the retry must keep the id");
        }
        seen.add(d);
      });
      String entryId = redisCli("XADD", "unimq:{" + topic + "}:p:0", "*", "key", "order-7", "city", "Köln", "h.trace", "t-1",
          "body", "hello native").get(0);
      Awaitility.await().atMost(WAIT).until(() -> seen.size() == 1);
      Delivery d = seen.get(0);
      assertThat(d.bodyAsString()).isEqualTo("hello native");
      assertThat(d.key()).isEqualTo("order-7");
      assertThat(d.headers()).contains(entry("city", "Köln"), entry("trace", "t-1"));
      assertThat(d.id()).isEqualTo("unimq:{" + topic + "}:p:0/" + entryId);
      assertThat(ids).containsExactly(d.id(), d.id());
    }
  }

  @Test
  void unimqEntriesReadAsPlainFieldsInRedisCli() throws Exception {
    String topic = topic();
    try (MqClient client = Mq.connect(TestBrokers.redisUri())) {
      client.admin().declareGroup(topic, "g");
      Message now = Message.builder(topic).key("k-1").header("trace", "t-9").body("plain text").build();
      Message later = Message.builder(topic).key("k-1").header("trace", "t-10").delay(Duration.ofMillis(300)).body("delayed text").build();
      client.producer().send(now);
      client.producer().send(later);
      int partitions = Integer.parseInt(redisCli("HGET", "unimq:{" + topic + "}:meta", "partitions").get(0));
      List<Map<String, String>> entries = new ArrayList<>();
      Awaitility.await().atMost(WAIT).until(() -> {
        entries.clear();
        for (int p = 0; p < partitions; p++) {
          entries.addAll(xrange("unimq:{" + topic + "}:p:" + p));
        }
        return entries.size() == 2;
      });
      assertThat(entries).containsExactlyInAnyOrder(
          fields("id", now.id(), "key", "k-1", "h.trace", "t-9", "body", "plain text"),
          fields("id", later.id(), "key", "k-1", "due", Long.toString(later.deliverAt().toEpochMilli()), "h.trace", "t-10",
              "body", "delayed text"));
    }
  }

  @Test
  void aNativeConsumerGroupOnEveryPartitionStreamReceivesEveryMessage() throws Exception {
    String topic = topic();
    try (MqClient client = Mq.connect(TestBrokers.redisUri())) {
      client.admin().declareTopic(topic);
      int partitions = Integer.parseInt(redisCli("HGET", "unimq:{" + topic + "}:meta", "partitions").get(0));
      for (int p = 0; p < partitions; p++) {
        redisCli("XGROUP", "CREATE", "unimq:{" + topic + "}:p:" + p, "native", "$", "MKSTREAM");
      }
      Set<String> sent = new HashSet<>();
      for (int i = 0; i < 20; i++) {
        Message m = Message.builder(topic).key(i % 2 == 0 ? "k-" + i : null).body("m-" + i).build();
        client.producer().send(m);
        sent.add(m.id());
      }
      Set<String> read = new HashSet<>();
      Awaitility.await().atMost(WAIT).until(() -> {
        for (int p = 0; p < partitions; p++) {
          List<String> lines = redisCli("XREADGROUP", "GROUP", "native", "c1", "COUNT", "100", "STREAMS", "unimq:{" + topic + "}:p:" + p, ">");
          for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals("id")) {
              read.add(lines.get(i + 1));
            }
          }
        }
        return read.size() == sent.size();
      });
      assertThat(read).isEqualTo(sent);
    }
  }

  private static Map<String, String> fields(String... kv) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      out.put(kv[i], kv[i + 1]);
    }
    return out;
  }

  /**
   * XRANGE of {@code stream}: each entry's fields in order. redis-cli --raw prints the entry id, then
   * name and value lines; a line in a name's place that looks like an entry id starts the next
   * entry (no field name here does).
   */
  private static List<Map<String, String>> xrange(String stream) {
    List<String> lines = redisCli("XRANGE", stream, "-", "+");
    List<Map<String, String>> out = new ArrayList<>();
    Map<String, String> current = null;
    for (int i = 0; i < lines.size(); ) {
      if (current == null || lines.get(i).matches("\\d+-\\d+")) {
        current = new LinkedHashMap<>();
        out.add(current);
        i++;
      } else {
        current.put(lines.get(i), lines.get(i + 1));
        i += 2;
      }
    }
    return out;
  }

  static List<String> redisCli(String... args) {
    String text = BrokerTools.run(BrokerTools.redisCli(), args);
    assertThat(text).as("redis-cli %s", List.of(args)).doesNotStartWith("ERR");
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }
}
