package io.unimq.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.unimq.api.Delivery;
import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.testbrokers.BrokerTools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The wire format of docs/wire-format.md against the test Kafka, with {@code kcat}: a native
 * producer's record reaches a unimq group, a unimq record reads as text, a native consumer group on
 * the topic receives every (not delayed) unimq message.
 */
class KafkaWireFormatTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static String topic() {
    return "wire-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void aNativeRecordReachesAUnimqGroupWithBodyKeyHeadersAndAStableId() throws Exception {
    String topic = topic();
    List<Delivery> seen = new CopyOnWriteArrayList<>();
    List<String> ids = new CopyOnWriteArrayList<>();
    try (MqClient client = Mq.connect(KafkaTestSupport.uri())) {
      client.admin().declareGroup(topic, "g");
      client.subscribe(topic, "g", d -> {
        ids.add(d.id());
        if (d.attempt() == 1) {
          throw new IllegalStateException("fail once: the retry must keep the id");
        }
        seen.add(d);
      });
      kcat("hello native\n", "-P", "-t", topic, "-k", "order-7", "-H", "trace=t-1", "-H", "empty");
      Awaitility.await().atMost(WAIT).until(() -> seen.size() == 1);
      Delivery d = seen.get(0);
      assertThat(d.bodyAsString()).isEqualTo("hello native");
      assertThat(d.key()).isEqualTo("order-7");
      assertThat(d.headers()).contains(entry("trace", "t-1"), entry("empty", ""));
      assertThat(d.id()).matches(topic + "/\\d+@0");
      assertThat(ids).containsExactly(d.id(), d.id());
    }
  }

  @Test
  void aNativeConsumerGroupReadsEveryUnimqMessageAsText() throws Exception {
    String topic = topic();
    try (MqClient client = Mq.connect(KafkaTestSupport.uri())) {
      client.admin().declareTopic(topic);
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        Message m = Message.builder(topic).key(i % 2 == 0 ? "k-" + i : null).header("trace", "t-" + i).body("body " + i).build();
        client.producer().send(m);
        // kcat -J: each record one JSON line; the key, the user header and the body as text
        expected.add((m.key() == null ? "\"key\":null" : "\"key\":\"" + m.key() + "\"") + "|\"trace\",\"t-" + i + "\"|\"payload\":\"body " + i + "\"");
      }
      Set<String> read = new HashSet<>();
      Awaitility.await().atMost(WAIT).until(() -> {
        String out = kcat("", "-C", "-G", "native-" + topic, "-o", "beginning", "-e", "-q", "-J", topic);
        for (String line : out.split("\n")) {
          for (String e : expected) {
            if (Arrays.stream(e.split("\\|")).allMatch(line::contains)) {
              read.add(e);
            }
          }
        }
        return read.size() == expected.size();
      });
      assertThat(read).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  static String kcat(String stdin, String... args) {
    List<String> cmd = new ArrayList<>(BrokerTools.kcat());
    cmd.addAll(List.of(args));
    return BrokerTools.run(stdin, cmd);
  }
}
