package io.unimq.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import io.unimq.api.SendReceipt;
import org.junit.jupiter.api.Test;

class ReceiptsTest {
  @Test
  void aReceiptFormattedOnFirstReadEqualsTheOneGivenAsText() {
    Message generated = Message.builder("orders").body("x").build();
    assertThat(Receipts.textId(generated)).as("a generated id is held as bits").isNull();
    SendReceipt lazy = Receipts.of(null, UuidIds.msb(generated), UuidIds.lsb(generated), "orders", 3, "@", 1_234_567_890_123L);
    SendReceipt text = new SendReceipt(generated.id(), "orders", "3@1234567890123");
    assertThat(lazy.messageId()).isEqualTo(generated.id());
    assertThat(lazy.position()).isEqualTo("3@1234567890123");
    assertThat(lazy).isEqualTo(text).hasSameHashCodeAs(text);
    assertThat(lazy.toString()).isEqualTo(text.toString())
        .isEqualTo("SendReceipt[messageId=" + generated.id() + ", topic=orders, position=3@1234567890123]");
    assertThat(Receipts.of(generated, "orders", "slot", "-", 7L).position()).isEqualTo("slot-7");
    assertThat(Receipts.of(generated, "orders", null)).isEqualTo(new SendReceipt(generated.id(), "orders", null));
  }

  @Test
  void anIdGivenAsTextStaysText() {
    Message given = Message.builder("orders").id("order-42").body("x").build();
    assertThat(Receipts.textId(given)).isEqualTo("order-42");
    assertThat(Receipts.of(given, "orders", "s1", "/", "1-0")).isEqualTo(new SendReceipt("order-42", "orders", "s1/1-0"));
    assertThat(Receipts.of("order-42", 0, 0, "orders", 0, "@", 5L).messageId()).isEqualTo("order-42");
  }

  @Test
  void receiptsDifferByAnyOfTheirTexts() {
    SendReceipt r = new SendReceipt("a", "t", "p");
    assertThat(r).isNotEqualTo(new SendReceipt("b", "t", "p")).isNotEqualTo(new SendReceipt("a", "u", "p"))
        .isNotEqualTo(new SendReceipt("a", "t", null)).isEqualTo(new SendReceipt("a", "t", "p"));
    assertThat(new SendReceipt("a", "t", null).position()).isNull();
  }
}
