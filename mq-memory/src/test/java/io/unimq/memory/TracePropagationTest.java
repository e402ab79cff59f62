package io.unimq.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.SubscriptionOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * W3C trace context without an OpenTelemetry SDK: carried as set, continued by sends from a handler
 * (same trace, new parent id, same flags and tracestate), not invented for plain sends.
 */
class TracePropagationTest {
  private static final String SAMPLED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  /** Sends {@code orders} to a topic whose handler sends an invoice for each; returns the invoices. */
  private static List<Message> invoicesFor(Message.Builder... orders) throws InterruptedException {
    String run = UUID.randomUUID().toString().substring(0, 8);
    BlockingQueue<Message> downstream = new ArrayBlockingQueue<>(orders.length);
    try (MqClient client = Mq.connect("memory://trace-" + run)) {
      client.subscribe("orders-" + run, "billing", d ->
          client.producer().send(Message.builder("invoices-" + run).body("for " + d.id()).build()));
      client.subscribe("invoices-" + run, "mail", d -> downstream.add(d.message()));
      for (Message.Builder order : orders) {
        client.producer().send(order.topic("orders-" + run).build());
      }
      List<Message> invoices = new ArrayList<>();
      for (int i = 0; i < orders.length; i++) {
        Message m = downstream.poll(10, TimeUnit.SECONDS);
        assertThat(m).as("invoice %d", i).isNotNull();
        invoices.add(m);
      }
      return invoices;
    }
  }

  @Test
  void aSendFromAHandlerContinuesTheTraceOfTheHandledMessage() throws Exception {
    List<Message> invoices = invoicesFor(Message.builder("x").header("traceparent", SAMPLED).body("o1"),
        Message.builder("x").body("o2"));
    Message traced = invoices.get(0).header("traceparent") != null ? invoices.get(0) : invoices.get(1);
    Message untraced = traced == invoices.get(0) ? invoices.get(1) : invoices.get(0);
    assertThat(traced.header("traceparent")).matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01").isNotEqualTo(SAMPLED);
    assertThat(untraced.header("traceparent")).isNull();
  }

  @Test
  void anUnsampledTraceStaysUnsampledAndItsTracestateTravels() throws Exception {
    String unsampled = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";
    Message invoice = invoicesFor(Message.builder("x").header("traceparent", unsampled).header("tracestate", "vendor=abc")
        .body("o1")).get(0);
    assertThat(invoice.header("traceparent")).matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-00").isNotEqualTo(unsampled);
    assertThat(invoice.header("tracestate")).isEqualTo("vendor=abc");
  }

  @Test
  void aMalformedTraceparentIsNotContinued() throws Exception {
    Message invoice = invoicesFor(Message.builder("x").header("traceparent", "00-XYZ-not-a-trace").body("o1")).get(0);
    assertThat(invoice.header("traceparent")).isNull();
  }

  @Test
  void aSendFromABatchHandlerContinuesNoTrace() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    BlockingQueue<Message> downstream = new ArrayBlockingQueue<>(1);
    try (MqClient client = Mq.connect("memory://trace-" + run)) {
      client.subscribeBatch("orders-" + run, "billing", SubscriptionOptions.builder().batch(2, Duration.ofSeconds(2)).build(),
          batch -> client.producer().send(Message.builder("invoices-" + run).body("for " + batch.size()).build()));
      client.subscribe("invoices-" + run, "mail", d -> downstream.add(d.message()));
      client.producer().sendBatch(List.of(
          Message.builder("orders-" + run).header("traceparent", SAMPLED).header("tracestate", "vendor=abc").body("o1").build(),
          Message.builder("orders-" + run).header("traceparent", SAMPLED.replace("4bf9", "5cf9")).body("o2").build()));
      Message invoice = downstream.poll(10, TimeUnit.SECONDS);
      assertThat(invoice).isNotNull();
      assertThat(invoice.bodyAsString()).isEqualTo("for 2");
      assertThat(invoice.header("traceparent")).isNull();
      assertThat(invoice.header("tracestate")).isNull();
    }
  }
}
