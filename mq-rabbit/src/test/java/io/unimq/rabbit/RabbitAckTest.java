package io.unimq.rabbit;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.Subscription;
import io.unimq.api.SubscriptionOptions;
import io.unimq.tck.TckNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Coalesced acks: settled deliveries are acked as a prefix and may wait behind a slower one, but a
 * graceful close acks everything its handlers finished, so none of it is delivered again.
 */
@Timeout(120)
class RabbitAckTest {
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
  void messagesHandledBeforeAGracefulCloseAreNeverDeliveredAgain() {
    String topic = TckNames.unique("ack");
    String group = TckNames.unique("ack-g");
    MqClient producer = client();
    producer.admin().declareGroup(topic, group);
    for (int i = 0; i < 600; i++) {
      producer.producer().sendAsync(Message.builder(topic).body("m" + i).build());
    }
    Set<String> handled = ConcurrentHashMap.newKeySet();
    // every 7th message is slow, so acks of faster neighbours are held behind it when the close comes
    Subscription first = client().subscribe(topic, group, SubscriptionOptions.builder().concurrency(4).prefetch(64).build(), d -> {
      if (d.message().bodyAsString().hashCode() % 7 == 0) {
        Thread.sleep(20);
      }
      handled.add(d.message().id());
    });
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() >= 200);
    first.close(Duration.ofSeconds(10));
    Set<String> before = Set.copyOf(handled);

    Set<String> again = ConcurrentHashMap.newKeySet();
    Set<String> second = ConcurrentHashMap.newKeySet();
    client().subscribe(topic, group, SubscriptionOptions.builder().build(), d -> {
      second.add(d.message().id());
      if (before.contains(d.message().id())) {
        again.add(d.message().id());
      }
    });
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> before.size() + second.size() - again.size() >= 600);
    assertThat(again).as("messages handled before the close and delivered again").isEmpty();
  }
}
