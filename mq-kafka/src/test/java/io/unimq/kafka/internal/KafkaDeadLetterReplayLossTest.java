package io.unimq.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.unimq.api.DeadLetterSelection;
import io.unimq.api.DeadLetters;
import io.unimq.api.Message;
import io.unimq.api.MqClient;
import io.unimq.api.Mq;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * A replay of more dead letters than one read gathers within its limit (shortened to 1 ms by
 * {@code kafka-slowdlq://}) replays every one of them: none drops out of count, peek or replay.
 * (A replay that read once with the limit and then committed the end offset lost the rest.)
 */
class KafkaDeadLetterReplayLossTest {
  private static final int DEAD = 3000;

  @Test
  void aReplayOfMoreDeadLettersThanOneReadGathersLosesNone() throws Exception {
    String base = io.unimq.testbrokers.TestBrokers.kafkaUri();
    String uri = base.replaceFirst("^kafka://", "kafka-slowdlq://") + (base.contains("?") ? "&" : "?") + "connectTimeout=20s";
    String topic = "dlq-loss-" + System.nanoTime();
    String group = "g";
    try (MqClient client = Mq.connect(uri)) {
      DeadLetters dl = client.deadLetters(topic, group);
      assertThat(dl.count()).isZero(); // declares the topic, the group and its dead letters
      List<String> ids = new ArrayList<>();
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, base.replaceFirst("^kafka://", "").replaceFirst("[/?].*$", ""));
      p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
        long now = System.currentTimeMillis();
        for (int i = 0; i < DEAD; i++) {
          Message m = Message.builder(topic).header("unimq-dlq-original-topic", topic).header("n", Integer.toString(i))
              .body("dead-" + i).build();
          ids.add(m.id());
          producer.send(KafkaCodec.toRecord(KafkaTopology.dlq(topic, group), 0, m, now));
        }
        producer.flush();
      }
      assertThat(dl.count()).isEqualTo(DEAD);
      assertThat(dl.peek(5)).extracting(Message::id).containsExactlyElementsOf(ids.subList(0, 5));

      Set<String> delivered = ConcurrentHashMap.newKeySet();
      client.subscribe(topic, group, d -> delivered.add(d.id()));
      long first = dl.replay(DeadLetterSelection.oldest(DEAD / 2));
      assertThat(first).isEqualTo(DEAD / 2);
      assertThat(dl.count()).as("dead letters left after replaying half").isEqualTo(DEAD - DEAD / 2);
      assertThat(dl.peek(1)).extracting(Message::id).containsExactly(ids.get(DEAD / 2));
      assertThat(dl.replay()).as("replayed the rest").isEqualTo(DEAD - DEAD / 2);
      assertThat(dl.count()).isZero();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(delivered).hasSize(DEAD));
      assertThat(delivered).containsExactlyInAnyOrderElementsOf(ids);
    }
  }
}
