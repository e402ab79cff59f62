package io.unimq.memory.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.MqInvalidMessageException;
import io.unimq.api.Subscription;
import io.unimq.api.SubscriptionOptions;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Arguments of a live client's calls: every mistake is an MqException and leaves the client usable. */
class ClientArgumentsTest {
  private static MqClient client() {
    return Mq.connect("memory://args-" + UUID.randomUUID());
  }

  @Test
  void aNullCloseTimeoutIsAConfigurationErrorThatClosesNothing() {
    MqClient c = client();
    Subscription s = c.subscribe("t", "g", SubscriptionOptions.DEFAULT, d -> { });
    assertThatThrownBy(() -> s.close(null)).isInstanceOf(MqConfigurationException.class).hasMessageContaining("close timeout is null");
    assertThat(s.isClosed()).isFalse();
    assertThatThrownBy(() -> c.close(null)).isInstanceOf(MqConfigurationException.class).hasMessageContaining("close timeout is null");
    assertThat(c.isClosed()).isFalse();
    c.producer().send(Message.builder("t").body("still open").build());
    c.close();
  }

  @Test
  void anEndlessOrNegativeCloseTimeoutCloses() {
    MqClient c = client();
    Subscription s = c.subscribe("t", "g", SubscriptionOptions.DEFAULT, d -> { });
    s.close(ChronoUnit.FOREVER.getDuration());
    assertThat(s.isClosed()).isTrue();
    c.close(ChronoUnit.FOREVER.getDuration());
    assertThat(c.isClosed()).isTrue();
    MqClient other = client();
    other.close(Duration.ofSeconds(-1));
    assertThat(other.isClosed()).isTrue();
  }

  @Test
  void aDelayBeyondAnyDateIsAnInvalidMessage() {
    assertThatThrownBy(() -> Message.builder("t").delay(ChronoUnit.FOREVER.getDuration()))
        .isInstanceOf(MqInvalidMessageException.class).hasMessageContaining("delay");
    assertThat(Message.builder("t").delay(null).build().deliverAt()).isNull();
  }
}
