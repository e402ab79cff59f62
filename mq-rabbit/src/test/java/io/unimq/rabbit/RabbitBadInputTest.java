package io.unimq.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.MqInvalidMessageException;
import io.unimq.api.Producer;
import io.unimq.api.SendReceipt;
import io.unimq.tck.TckNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RabbitMQ's own limits (AMQP short strings of at most 255 bytes, content headers within one frame)
 * are checked before the network, and a message the client cannot encode never leaves the
 * publisher unusable.
 */
@Timeout(120)
class RabbitBadInputTest {
  private final List<MqClient> clients = new ArrayList<>();

  private MqClient client() {
    MqClient c = Mq.connect(RabbitTestBroker.uri());
    clients.add(c);
    return c;
  }

  @AfterEach
  void close() {
    clients.forEach(c -> c.close(Duration.ofSeconds(5)));
  }

  @Test
  void aHeaderNameOver255BytesIsRejectedAndLaterSendsAreConfirmedQuickly() throws Exception {
    String topic = TckNames.unique("rbad");
    MqClient c = Mq.connect(RabbitTestBroker.uri());
    Producer p = c.producer();
    p.send(Message.builder(topic).body("first").build());
    String longName = "h".repeat(256);
    long start = System.nanoTime();
    assertThatThrownBy(() -> p.send(Message.builder(topic).header(longName, "v").body("bad").build()))
        .isInstanceOf(MqInvalidMessageException.class).hasMessageContaining("255");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("rejected, not retried").isLessThan(Duration.ofSeconds(1));
    // 255 bytes is the limit: accepted
    p.send(Message.builder(topic).header("h".repeat(255), "v").body("ok").build());
    // the same for a name that is short in characters but long in UTF-8 bytes
    assertThatThrownBy(() -> p.send(Message.builder(topic).header("é".repeat(128), "v").body("bad").build()))
        .isInstanceOf(MqInvalidMessageException.class).hasMessageContaining("255");
    start = System.nanoTime();
    List<CompletableFuture<SendReceipt>> sends = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      sends.add(p.sendAsync(Message.builder(topic).body("good" + i).build()).toCompletableFuture());
    }
    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    start = System.nanoTime();
    c.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("close").isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void aMessageIdOver255BytesIsRejected() {
    String topic = TckNames.unique("rbad");
    Producer p = client().producer();
    assertThatThrownBy(() -> p.send(Message.builder(topic).id("i".repeat(256)).body("bad").build()))
        .isInstanceOf(MqInvalidMessageException.class).hasMessageContaining("id").hasMessageContaining("255");
    assertThat(p.send(Message.builder(topic).body("ok").build()).topic()).isEqualTo(topic);
  }

  @Test
  void headersLargerThanAFrameAreRejectedAndTheConnectionSurvives() {
    String topic = TckNames.unique("rbad");
    Producer p = client().producer();
    assertThatThrownBy(() -> p.send(Message.builder(topic).header("big", "x".repeat(200_000)).body("bad").build()))
        .isInstanceOf(MqInvalidMessageException.class).hasMessageContaining("header");
    for (int i = 0; i < 20; i++) {
      p.send(Message.builder(topic).body("ok" + i).build());
    }
  }
}
