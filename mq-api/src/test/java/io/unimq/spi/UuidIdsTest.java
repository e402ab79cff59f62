package io.unimq.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import io.unimq.api.internal.Ids;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidIdsTest {
  @Test
  void generatedIdsRoundTripThrough16BytesInUuidByteOrder() {
    for (int i = 0; i < 1000; i++) {
      String id = Ids.next();
      byte[] b = UuidIds.toBytes(id);
      assertThat(b).hasSize(16);
      assertThat(UuidIds.fromBytes(b, 0)).isEqualTo(id);
      UUID u = UUID.fromString(id);
      assertThat(UuidIds.msb(id)).isEqualTo(u.getMostSignificantBits());
      assertThat(UuidIds.lsb(id)).isEqualTo(u.getLeastSignificantBits());
    }
    String random = UUID.randomUUID().toString();
    assertThat(UuidIds.of(UuidIds.msb(random), UuidIds.lsb(random))).isEqualTo(random);
  }

  @Test
  void onlyTheLowerCaseCanonicalFormHasA16ByteForm() {
    for (String id : new String[] {"order-42", "0190A1B2-C3D4-7E5F-8A6B-7C8D9E0F1A2B", "", "ü-ß-😀",
        "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2", "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2bb", "0190a1b2xc3d4-7e5f-8a6b-7c8d9e0f1a2b", null}) {
      assertThat(UuidIds.isCanonical(id)).as(id).isFalse();
      assertThat(UuidIds.toBytes(id)).as(id).isNull();
    }
    assertThat(UuidIds.isCanonical("0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b")).isTrue();
  }

  @Test
  void aMessageHoldsItsGeneratedIdAsBitsAndFormatsTheSameTextWhenAsked() {
    Message m = Message.builder("t").body("x").build();
    assertThat(UuidIds.hasBytes(m)).isTrue();
    byte[] b = UuidIds.toBytes(m);
    Message read = UuidIds.id(Message.builder("t").body("x"), b, 0).build();
    assertThat(read.id()).isEqualTo(m.id()).isEqualTo(UuidIds.fromBytes(b, 0));
    assertThat(read).isEqualTo(m).hasSameHashCodeAs(m);
    Message asText = Message.builder("t").id(m.id()).body("x").build();
    assertThat(asText).isEqualTo(read).hasSameHashCodeAs(read);
    assertThat(UuidIds.msb(asText)).isEqualTo(UuidIds.msb(read));
    assertThat(UuidIds.lsb(asText)).isEqualTo(UuidIds.lsb(read));
    assertThat(read.toBuilder().build().id()).isEqualTo(m.id());
    assertThat(read.toBuilder().id("order-1").build().id()).isEqualTo("order-1");
    assertThat(Message.builder("t").id("order-1").build().toBuilder().id(null).build().id()).isNotEqualTo("order-1");
    assertThat(UuidIds.hasBytes(Message.builder("t").id("order-1").build())).isFalse();
    assertThat(UuidIds.toBytes(Message.builder("t").id("order-1").build())).isNull();
  }

  @Test
  void generatedIdsOfOneJvmAreUniqueAndSortByCreation() {
    String previous = "";
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = Message.builder("t").build().id();
      assertThat(id).isGreaterThan(previous);
      assertThat(seen.add(id)).isTrue();
      previous = id;
    }
  }
}
