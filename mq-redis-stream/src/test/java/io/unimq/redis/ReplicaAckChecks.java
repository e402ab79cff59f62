package io.unimq.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.MqSendException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/** Checks of replica acknowledgements ({@code replicaAcks}) shared by the Sentinel and Cluster tests. */
public final class ReplicaAckChecks {
  private ReplicaAckChecks() {}

  /** Sends 300 keyed messages (7 keys) and one delayed by 5 minutes to {@code topic}, pipelined, and waits until all are confirmed. */
  public static void sendConfirmed(MqClient client, String topic) {
    List<CompletableFuture<?>> sends = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      sends.add(client.producer().sendAsync(Message.builder(topic).key("k" + (i % 7)).body("m-" + i).build()).toCompletableFuture());
    }
    sends.add(client.producer().sendAsync(Message.builder(topic).body("later").delay(Duration.ofMinutes(5)).build()).toCompletableFuture());
    CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).join();
  }

  /** With one replica per master, {@code replicaAcks=2} fails a send within seconds, naming the parameter, outcome unknown. */
  public static void aSendTooFewReplicasAcknowledgeFails(String uriWithParameters) {
    try (MqClient client = Mq.connect(uriWithParameters)) {
      long start = System.nanoTime();
      String topic = "it-acks-" + String.format("%08x", ThreadLocalRandom.current().nextInt());
      assertThatThrownBy(() -> client.producer().send(Message.builder(topic).body("x").build()))
          .isInstanceOf(MqSendException.class)
          .hasMessageContaining("acknowledged by 1 replica(s)").hasMessageContaining("replicaAcks=2")
          .satisfies(e -> assertThat(((MqSendException) e).outcomeUnknown()).isTrue());
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }
}
