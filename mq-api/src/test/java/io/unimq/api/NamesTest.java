package io.unimq.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What every send checks, on its own (no broker). */
class NamesTest {
  private static final String LONE_HIGH = "a\uD83D";
  private static final String LONE_LOW = "\uDE00b";

  @Test
  void aLoneSurrogateInAHeaderValueNameKeyOrIdIsRejected() {
    assertThatThrownBy(() -> Names.checkMessage(Message.builder("t").header("h", LONE_HIGH).body("x").build()))
        .isInstanceOf(MqInvalidMessageException.class).hasMessageContaining("value of header 'h'")
        .hasMessageContaining("surrogate").hasMessageContaining("\\uD83D");
    assertThatThrownBy(() -> Names.checkMessage(Message.builder("t").header(LONE_LOW, "v").body("x").build()))
        .isInstanceOf(MqInvalidMessageException.class).hasMessageContaining("header name").hasMessageContaining("\\uDE00");
    assertThatThrownBy(() -> Names.checkMessage(Message.builder("t").key(LONE_HIGH).body("x").build()))
        .isInstanceOf(MqInvalidMessageException.class).hasMessageContaining("message key");
    assertThatThrownBy(() -> Names.checkMessage(Message.builder("t").id("id-" + LONE_LOW).body("x").build()))
        .isInstanceOf(MqInvalidMessageException.class).hasMessageContaining("message id");
    assertThatThrownBy(() -> Names.checkMessage(Message.builder("t").key("\uDE00\uD83D").body("x").build()))
        .as("a pair in the wrong order").isInstanceOf(MqInvalidMessageException.class);
  }

  @Test
  void surrogatePairsAndOtherTextAreAccepted() {
    assertThatCode(() -> Names.checkMessage(Message.builder("t").key("🙂-ключ").id("id-🙂").header("😀", "日本語 🙂")
        .body("x").build())).doesNotThrowAnyException();
  }
}
