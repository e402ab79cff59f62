package io.unimq.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** W3C traceparent: carried as set, continued by sends from a handler, not invented for plain sends. */
class TracePropagationTest {
  @Test
  void aSendFromAHandlerContinuesTheTraceOfTheHandledMessage() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    BlockingQueue<Message> downstream = new ArrayBlockingQueue<>(2);
    try (MqClient client = Mq.connect("memory://trace-" + run)) {
      client.subscribe("orders-" + run, "billing", d ->
          client.producer().send(Message.builder("invoices-" + run).body("for " + d.id()).build()));
      client.subscribe("invoices-" + run, "mail", d -> downstream.add(d.message()));
      client.producer().send(Message.builder("orders-" + run).header("traceparent", parent).body("o1").build());
      client.producer().send(Message.builder("orders-" + run).body("o2").build());

      Message a = downstream.poll(10, TimeUnit.SECONDS);
      Message b = downstream.poll(10, TimeUnit.SECONDS);
      assertThat(a).isNotNull();
      assertThat(b).isNotNull();
      Message traced = a.header("traceparent") != null ? a : b;
      Message untraced = traced == a ? b : a;
      assertThat(traced.header("traceparent"))
          .startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
          .isNotEqualTo(parent)
          .hasSize(55);
      assertThat(untraced.header("traceparent")).isNull();
    }
  }
}
