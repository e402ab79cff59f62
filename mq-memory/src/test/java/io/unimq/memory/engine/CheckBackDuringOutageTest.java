package io.unimq.memory.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.TransactionState;
import io.unimq.api.TransactionalProducer;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A check-back that commits while the broker's connection is lost waits for its send's retries,
 * which run on the client's scheduler; the sweeps have a thread of their own, so the send is retried
 * and the committed message arrives (on one shared thread the sweep waited for itself, for ever).
 */
class CheckBackDuringOutageTest {
  @Test
  void aCheckBackCommitWhoseSendIsRetriedArrives() {
    String uri = "broken-disconnected://t" + UUID.randomUUID().toString().substring(0, 8) + "?txCheckInterval=200ms&sendTimeout=10s";
    Set<String> delivered = ConcurrentHashMap.newKeySet();
    try (MqClient c = Mq.connect(uri)) {
      c.subscribe("down-for-2", "g-" + UUID.randomUUID(), d -> delivered.add(d.id()));
      try (TransactionalProducer p = c.transactionalProducer("pg", half -> TransactionState.COMMIT)) {
        Message m = Message.builder("down-for-2").body("x").build();
        assertThat(p.sendInTransaction(m, half -> TransactionState.UNKNOWN)).isEqualTo(TransactionState.UNKNOWN);
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.contains(m.id()));
        assertThat(DisconnectedProvider.PUBLISHES.get(m.id())).hasValue(3);
      }
    }
  }
}
