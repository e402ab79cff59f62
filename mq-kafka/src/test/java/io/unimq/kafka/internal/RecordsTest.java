package io.unimq.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RecordsTest {
  @Test
  void aGeneratedIdTravelsAs16BytesUnderTheEmptyKey() {
    Message m = Message.builder("orders").key("k").header("type", "created").body("x").build();
    ProducerRecord<byte[], byte[]> r = Records.toRecord("orders", null, m, 0);
    Header id = r.headers().lastHeader("");
    assertThat(id.value()).hasSize(16);
    assertThat(r.headers().lastHeader(Records.ID)).isNull();
    assertThat(Records.toMessage("orders", consumed(r))).isEqualTo(m);
  }

  @Test
  void otherIdsTravelAsTextAndKeepTheirExactText() {
    for (String text : new String[] {"order-42", "0190A1B2-C3D4-7E5F-8A6B-7C8D9E0F1A2B", "16-byte-id-00001", "ü-ß-😀"}) {
      Message m = Message.builder("orders").id(text).body("x").build();
      ProducerRecord<byte[], byte[]> r = Records.toRecord("orders", 0, m, 0);
      assertThat(r.headers().lastHeader("")).isNull();
      assertThat(new String(r.headers().lastHeader(Records.ID).value(), StandardCharsets.UTF_8)).isEqualTo(text);
      assertThat(Records.toMessage("orders", consumed(r)).id()).isEqualTo(text);
    }
  }

  @Test
  void recordsOfEarlierBuildsWithTheIdAsTextAreStillRead() {
    String id = "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b";
    List<Header> h = List.of(new Records.KafkaHeader(Records.ID, id.getBytes(StandardCharsets.UTF_8)),
        new Records.KafkaHeader("type", "created".getBytes(StandardCharsets.UTF_8)));
    ProducerRecord<byte[], byte[]> old = new ProducerRecord<>("orders", 0, null, null, "x".getBytes(StandardCharsets.UTF_8), h);
    Message m = Records.toMessage("orders", consumed(old));
    assertThat(m.id()).isEqualTo(id);
    assertThat(m.headers()).containsExactly(java.util.Map.entry("type", "created"));
    assertThat(m.bodyAsString()).isEqualTo("x");
  }

  private static ConsumerRecord<byte[], byte[]> consumed(ProducerRecord<byte[], byte[]> r) {
    return new ConsumerRecord<>(r.topic(), 0, 7L, 0L, TimestampType.CREATE_TIME, -1, -1, r.key(), r.value(),
        r.headers(), java.util.Optional.empty());
  }
}
