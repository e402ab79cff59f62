package io.unimq.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MessageIdTest {
  @Test
  void generatedIdsAreUuidsWhoseBitsMatchTheirText() {
    for (int i = 0; i < 1000; i++) {
      Message m = Message.builder("t").build();
      UUID u = UUID.fromString(m.id());
      assertThat(m.hasUuidId()).isTrue();
      assertThat(m.idMostSignificantBits()).isEqualTo(u.getMostSignificantBits());
      assertThat(m.idLeastSignificantBits()).isEqualTo(u.getLeastSignificantBits());
      assertThat(u.version()).isEqualTo(7);
    }
    String random = UUID.randomUUID().toString();
    assertThat(Uuids.format(Uuids.msb(random), Uuids.lsb(random))).isEqualTo(random);
  }

  @Test
  void onlyTheLowerCaseCanonicalFormIsAUuidId() {
    for (String id : new String[] {"order-42", "0190A1B2-C3D4-7E5F-8A6B-7C8D9E0F1A2B", "", "ü-ß-😀",
        "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2", "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2bb", "0190a1b2xc3d4-7e5f-8a6b-7c8d9e0f1a2b"}) {
      Message m = Message.builder("t").id(id).build();
      assertThat(m.hasUuidId()).as(id).isFalse();
      assertThatThrownBy(m::idMostSignificantBits).isInstanceOf(MqInvalidMessageException.class).hasMessageContaining("hasUuidId");
    }
    assertThat(Message.builder("t").id("0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b").build().hasUuidId()).isTrue();
  }

  @Test
  void anIdSetFromItsBitsEqualsTheSameIdGivenAsText() {
    Message m = Message.builder("t").body("x").build();
    Message read = Message.builder("t").body("x").id(m.idMostSignificantBits(), m.idLeastSignificantBits()).build();
    assertThat(read.id()).isEqualTo(m.id());
    assertThat(read).isEqualTo(m).hasSameHashCodeAs(m);
    Message asText = Message.builder("t").id(m.id()).body("x").build();
    assertThat(asText).isEqualTo(read).hasSameHashCodeAs(read);
    assertThat(asText.idMostSignificantBits()).isEqualTo(read.idMostSignificantBits());
    assertThat(asText.idLeastSignificantBits()).isEqualTo(read.idLeastSignificantBits());
    assertThat(read.toBuilder().build().id()).isEqualTo(m.id());
    assertThat(read.toBuilder().id("order-1").build().id()).isEqualTo("order-1");
    assertThat(Message.builder("t").id("order-1").build().toBuilder().id(null).build().id()).isNotEqualTo("order-1");
  }

  @Test
  void generatedIdsOfOneJvmAreUniqueAndSortByCreation() {
    String previous = "";
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = Message.builder("t").build().id();
      assertThat(id).isGreaterThan(previous);
      assertThat(seen.add(id)).isTrue();
      previous = id;
    }
  }
}
