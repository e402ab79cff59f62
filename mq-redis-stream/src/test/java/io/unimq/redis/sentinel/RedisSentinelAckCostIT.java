package io.unimq.redis.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * What waiting for the replica costs a send on {@code redis-sentinel://}: {@code replicaAcks=1}
 * (the default) against {@code replicaAcks=0}, rounds alternating, on the launcher's Sentinel
 * topology. Pipelined: {@value #PIPELINED} sends of 1 KiB, at most {@value #WINDOW} in flight;
 * sequential: {@value #SEQUENTIAL} sends one after the other (latency). Not part of CI; the figures
 * are in docs/reliability.md:
 * {@code mvn -B -pl mq-redis-stream surefire:test -Dtest=RedisSentinelAckCostIT -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class RedisSentinelAckCostIT {
  static final int PIPELINED = 20_000;
  static final int WINDOW = 1000;
  static final int SEQUENTIAL = 500;
  static final int ROUNDS = Integer.getInteger("unimq.ackcost.rounds", 3);

  @Test
  void replicaAcksAgainstNone() throws Exception {
    byte[] body = new byte[1024];
    ThreadLocalRandom.current().nextBytes(body);
    List<String> lines = new ArrayList<>();
    for (int round = 1; round <= ROUNDS; round++) {
      for (int acks : new int[] {1, 0}) {
        String topic = "it-ackcost-" + String.format("%08x", ThreadLocalRandom.current().nextInt());
        try (MqClient client = Mq.connect(SentinelTopology.uri("replicaAcks=" + acks))) {
          for (int i = 0; i < 200; i++) { // warm-up
            client.producer().send(Message.builder(topic).body(body).build());
          }
          Semaphore window = new Semaphore(WINDOW);
          List<CompletableFuture<?>> sends = new ArrayList<>(PIPELINED);
          long start = System.nanoTime();
          for (int i = 0; i < PIPELINED; i++) {
            window.acquire();
            sends.add(client.producer().sendAsync(Message.builder(topic).key("k" + (i % 64)).body(body).build())
                .toCompletableFuture().whenComplete((r, e) -> window.release()));
          }
          CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).join();
          double perSecond = PIPELINED / ((System.nanoTime() - start) / 1e9);
          long[] micros = new long[SEQUENTIAL];
          for (int i = 0; i < SEQUENTIAL; i++) {
            long t = System.nanoTime();
            client.producer().send(Message.builder(topic).body(body).build());
            micros[i] = (System.nanoTime() - t) / 1000;
          }
          Arrays.sort(micros);
          String line = String.format("round %d replicaAcks=%d: pipelined %.0f msg/s; sequential p50 %.2f ms, p99 %.2f ms",
              round, acks, perSecond, micros[SEQUENTIAL / 2] / 1000.0, micros[SEQUENTIAL * 99 / 100] / 1000.0);
          lines.add(line);
          System.out.println(line);
        }
      }
    }
    assertThat(lines).hasSize(ROUNDS * 2);
  }
}
