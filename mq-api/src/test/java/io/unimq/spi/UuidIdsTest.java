package io.unimq.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import java.nio.ByteBuffer;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidIdsTest {
  @Test
  void aUuidIdRoundTripsThrough16BytesInUuidByteOrder() {
    for (int i = 0; i < 1000; i++) {
      Message m = Message.builder("t").body("x").build();
      byte[] b = UuidIds.toBytes(m);
      assertThat(b).hasSize(16);
      UUID u = UUID.fromString(m.id());
      ByteBuffer buf = ByteBuffer.wrap(b);
      assertThat(buf.getLong()).isEqualTo(u.getMostSignificantBits());
      assertThat(buf.getLong()).isEqualTo(u.getLeastSignificantBits());
      Message read = UuidIds.id(Message.builder("t").body("x"), b, 0).build();
      assertThat(read).isEqualTo(m).hasSameHashCodeAs(m);
      assertThat(read.id()).isEqualTo(m.id());
    }
  }

  @Test
  void anIdThatIsNotAUuidHasNo16ByteForm() {
    assertThat(UuidIds.toBytes(Message.builder("t").id("order-1").build())).isNull();
    String canonical = UUID.randomUUID().toString();
    assertThat(UuidIds.toBytes(Message.builder("t").id(canonical).build())).hasSize(16);
  }
}
