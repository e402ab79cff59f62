package io.unimq.spi;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.Message;
import io.unimq.api.MqInvalidMessageException;
import org.junit.jupiter.api.Test;

/** A broker's limits on a message's parts, checked on their own (no broker). */
class MessageLimitsTest {
  private static final MessageLimits LIMITS = new MessageLimits(20, 10, 8, 30, 3, 100, 5, false, "TestMQ");

  private static Message.Builder m() {
    return Message.builder("t").id("id-1").body("x");
  }

  @Test
  void eachPartIsCheckedInUtf8BytesAndNamedWithItsLimit() {
    assertThatThrownBy(() -> LIMITS.check(m().id("i".repeat(21)).build())).isInstanceOf(MqInvalidMessageException.class)
        .hasMessageContaining("message id").hasMessageContaining("21 bytes").hasMessageContaining("20 bytes TestMQ");
    assertThatThrownBy(() -> LIMITS.check(m().key("é".repeat(6)).build())).isInstanceOf(MqInvalidMessageException.class)
        .hasMessageContaining("message key").hasMessageContaining("12 bytes");
    assertThatThrownBy(() -> LIMITS.check(m().header("h".repeat(9), "v").build())).isInstanceOf(MqInvalidMessageException.class)
        .hasMessageContaining("header name");
    assertThatThrownBy(() -> LIMITS.check(m().header("h", "v".repeat(31)).build())).isInstanceOf(MqInvalidMessageException.class)
        .hasMessageContaining("value of header 'h'").hasMessageContaining("body");
    assertThatCode(() -> LIMITS.check(m().key("k".repeat(10)).header("h".repeat(8), "v".repeat(30)).build())).doesNotThrowAnyException();
  }

  @Test
  void theCountAndTheTotalWithItsOverheadAreChecked() {
    assertThatThrownBy(() -> LIMITS.check(m().header("a", "1").header("b", "2").header("c", "3").header("d", "4").build()))
        .isInstanceOf(MqInvalidMessageException.class).hasMessageContaining("4 headers").hasMessageContaining("3");
    // id 4 + (8 + 30 + 5) * 2 = 90: fits; a third such header makes 133
    assertThatCode(() -> LIMITS.check(m().header("aaaaaaaa", "v".repeat(30)).header("bbbbbbbb", "v".repeat(30)).build()))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> LIMITS.check(m().header("aaaaaaaa", "v".repeat(30)).header("bbbbbbbb", "v".repeat(30))
        .header("cccccccc", "v".repeat(30)).build())).isInstanceOf(MqInvalidMessageException.class).hasMessageContaining("133 bytes");
  }

  @Test
  void controlCharactersAreRejectedWhereTheBrokerForbidsThem() {
    assertThatThrownBy(() -> LIMITS.check(m().header("h", "a\nb").build())).isInstanceOf(MqInvalidMessageException.class)
        .hasMessageContaining("U+000A");
    assertThatThrownBy(() -> LIMITS.check(m().key("a\tb").build())).isInstanceOf(MqInvalidMessageException.class)
        .hasMessageContaining("message key");
    assertThatCode(() -> MessageLimits.NONE.check(m().key("a\tb").header("h".repeat(1000), "a\nb").build())).doesNotThrowAnyException();
  }
}
