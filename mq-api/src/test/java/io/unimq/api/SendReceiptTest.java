package io.unimq.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SendReceiptTest {
  @Test
  void aReceiptFormattedOnFirstReadEqualsTheOneGivenAsText() {
    Message generated = Message.builder("orders").body("x").build();
    assertThat(generated.idHeldAsBits()).as("a generated id is held as bits").isTrue();
    SendReceipt lazy = SendReceipt.of(generated.idMostSignificantBits(), generated.idLeastSignificantBits(), "orders", 3, "@",
        1_234_567_890_123L);
    SendReceipt text = new SendReceipt(generated.id(), "orders", "3@1234567890123");
    assertThat(lazy.messageId()).isEqualTo(generated.id());
    assertThat(lazy.position()).isEqualTo("3@1234567890123");
    assertThat(lazy).isEqualTo(text).hasSameHashCodeAs(text);
    assertThat(lazy.toString()).isEqualTo(text.toString())
        .isEqualTo("SendReceipt[messageId=" + generated.id() + ", topic=orders, position=3@1234567890123]");
    assertThat(SendReceipt.of(generated, "orders", "slot", "-", 7L).position()).isEqualTo("slot-7");
    assertThat(SendReceipt.of(generated, "orders", null)).isEqualTo(new SendReceipt(generated.id(), "orders", null));
  }

  @Test
  void anIdGivenAsTextStaysText() {
    Message given = Message.builder("orders").id("order-42").body("x").build();
    assertThat(given.hasUuidId()).isFalse();
    assertThat(SendReceipt.of(given, "orders", "s1", "/", "1-0")).isEqualTo(new SendReceipt("order-42", "orders", "s1/1-0"));
    assertThat(SendReceipt.of("order-42", "orders", 0, "@", 5L).messageId()).isEqualTo("order-42");
  }

  @Test
  void receiptsDifferByAnyOfTheirTexts() {
    SendReceipt r = new SendReceipt("a", "t", "p");
    assertThat(r).isNotEqualTo(new SendReceipt("b", "t", "p")).isNotEqualTo(new SendReceipt("a", "u", "p"))
        .isNotEqualTo(new SendReceipt("a", "t", null)).isEqualTo(new SendReceipt("a", "t", "p"));
    assertThat(new SendReceipt("a", "t", null).position()).isNull();
  }
}
