package io.unimq.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class KafkaCodecTest {
  @Test
  void aGeneratedIdTravelsAs16BytesUnderTheEmptyKey() {
    Message m = Message.builder("orders").key("k").header("type", "created").body("x").build();
    ProducerRecord<byte[], byte[]> r = KafkaCodec.toRecord("orders", null, m, 0);
    Header id = r.headers().lastHeader("");
    assertThat(id.value()).hasSize(16);
    assertThat(r.headers().lastHeader(KafkaCodec.ID)).isNull();
    assertThat(KafkaCodec.toMessage("orders", consumed(r))).isEqualTo(m);
  }

  @Test
  void otherIdsTravelAsTextAndKeepTheirExactText() {
    for (String text : new String[] {"order-42", "0190A1B2-C3D4-7E5F-8A6B-7C8D9E0F1A2B", "16-byte-id-00001", "ü-ß-😀"}) {
      Message m = Message.builder("orders").id(text).body("x").build();
      ProducerRecord<byte[], byte[]> r = KafkaCodec.toRecord("orders", 0, m, 0);
      assertThat(r.headers().lastHeader("")).isNull();
      assertThat(new String(r.headers().lastHeader(KafkaCodec.ID).value(), StandardCharsets.UTF_8)).isEqualTo(text);
      assertThat(KafkaCodec.toMessage("orders", consumed(r)).id()).isEqualTo(text);
    }
  }

  private static ConsumerRecord<byte[], byte[]> consumed(ProducerRecord<byte[], byte[]> r) {
    return new ConsumerRecord<>(r.topic(), 0, 7L, 0L, TimestampType.CREATE_TIME, -1, -1, r.key(), r.value(),
        r.headers(), java.util.Optional.empty());
  }
}
