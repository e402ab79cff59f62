package io.unimq.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.RetryPolicy;
import io.unimq.api.SubscriptionOptions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With an OpenTelemetry SDK: a send and its handling are a PRODUCER span and a CONSUMER span (its
 * child, through the headers) with the messaging conventions' attributes; unsampled traces stay so.
 */
class OpenTelemetryTracingTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter))
          .setSampler(Sampler.parentBased(Sampler.alwaysOn())).build())
      .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
      .build();
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  @AfterEach
  void close() {
    sdk.close();
    GlobalOpenTelemetry.resetForTest();
  }

  private static String attr(SpanData s, String key) {
    return s.getAttributes().get(AttributeKey.stringKey(key));
  }

  private static SpanData one(List<SpanData> spans, SpanKind kind) {
    return spans.stream().filter(s -> s.getKind() == kind).findFirst().orElseThrow();
  }

  /** Throws on the first call only. */
  private static void failFirst(AtomicInteger calls) {
    if (calls.incrementAndGet() == 1) {
      throw new IllegalStateException("first attempt fails");
    }
  }

  /** Sends one message to {@code topic} and returns the CONSUMER spans of its two attempts, in order. */
  private List<SpanData> twoAttemptsOf(MqClient client, String topic) {
    client.producer().send(Message.builder(topic).body("o1").build());
    await().atMost(Duration.ofSeconds(10)).until(() -> exporter.getFinishedSpanItems().size() >= 3);
    List<SpanData> consumers = exporter.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.CONSUMER)
        .sorted((a, b) -> Long.compare(a.getStartEpochNanos(), b.getStartEpochNanos())).toList();
    assertThat(consumers).hasSize(2);
    return consumers;
  }

  @Test
  void aSendAndItsHandlingAreTwoLinkedSpansWithTheConventionsAttributes() throws Exception {
    String topic = "orders-" + run;
    BlockingQueue<Message> handled = new ArrayBlockingQueue<>(1);
    try (MqClient client = Mq.builder("memory://otel-" + run).openTelemetry(sdk).connect()) {
      client.subscribe(topic, "billing", d -> handled.add(d.message()));
      client.producer().send(Message.builder(topic).body("o1").build());
      Message delivered = handled.poll(10, TimeUnit.SECONDS);
      assertThat(delivered).isNotNull();
      await().atMost(Duration.ofSeconds(10)).until(() -> exporter.getFinishedSpanItems().size() >= 2);

      List<SpanData> spans = exporter.getFinishedSpanItems();
      assertThat(spans).hasSize(2);
      SpanData producer = one(spans, SpanKind.PRODUCER);
      SpanData consumer = one(spans, SpanKind.CONSUMER);
      assertThat(producer.getName()).isEqualTo("send " + topic);
      assertThat(consumer.getName()).isEqualTo("process " + topic);
      assertThat(attr(producer, "messaging.system")).isEqualTo("memory");
      assertThat(attr(producer, "messaging.destination.name")).isEqualTo(topic);
      assertThat(attr(producer, "messaging.operation.type")).isEqualTo("send");
      assertThat(attr(producer, "messaging.operation.name")).isEqualTo("send");
      assertThat(attr(producer, "messaging.message.id")).isEqualTo(delivered.id());
      assertThat(attr(consumer, "messaging.system")).isEqualTo("memory");
      assertThat(attr(consumer, "messaging.destination.name")).isEqualTo(topic);
      assertThat(attr(consumer, "messaging.operation.type")).isEqualTo("process");
      assertThat(attr(consumer, "messaging.operation.name")).isEqualTo("process");
      assertThat(attr(consumer, "messaging.consumer.group.name")).isEqualTo("billing");
      assertThat(attr(consumer, "messaging.message.id")).isEqualTo(delivered.id());
      assertThat(consumer.getAttributes().get(AttributeKey.longKey("unimq.attempt"))).isEqualTo(1L);
      // linked: the consumer span is the producer span's child, through the message's traceparent
      assertThat(consumer.getTraceId()).isEqualTo(producer.getTraceId());
      assertThat(consumer.getParentSpanId()).isEqualTo(producer.getSpanId());
      assertThat(delivered.header("traceparent"))
          .isEqualTo("00-" + producer.getTraceId() + "-" + producer.getSpanId() + "-01");
    }
  }

  @Test
  void aSendInsideASpanJoinsItsTraceAndCarriesItsTracestate() throws Exception {
    String topic = "orders-" + run;
    BlockingQueue<Message> handled = new ArrayBlockingQueue<>(1);
    try (MqClient client = Mq.builder("memory://otel-" + run).openTelemetry(sdk).connect()) {
      client.subscribe(topic, "billing", d -> handled.add(d.message()));
      Span request = sdk.getTracer("test").spanBuilder("request").setParent(Context.root().with(Span.wrap(
          SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", TraceFlags.getSampled(),
              TraceState.builder().put("vendor", "abc").build())))).startSpan();
      try (Scope ignored = request.makeCurrent()) {
        client.producer().send(Message.builder(topic).body("o1").build());
      } finally {
        request.end();
      }
      Message delivered = handled.poll(10, TimeUnit.SECONDS);
      assertThat(delivered).isNotNull();
      assertThat(delivered.header("traceparent")).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-").endsWith("-01");
      assertThat(delivered.header("tracestate")).isEqualTo("vendor=abc");
      await().atMost(Duration.ofSeconds(10)).until(() -> exporter.getFinishedSpanItems().size() >= 3);
      SpanData producer = one(exporter.getFinishedSpanItems(), SpanKind.PRODUCER);
      assertThat(producer.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
    }
  }

  @Test
  void anUnsampledTraceStaysUnsampledThroughTheBrokerAndTheHandlersSends() throws Exception {
    String orders = "orders-" + run;
    String invoices = "invoices-" + run;
    String unsampled = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";
    BlockingQueue<Message> downstream = new ArrayBlockingQueue<>(1);
    try (MqClient client = Mq.builder("memory://otel-" + run).openTelemetry(sdk).connect()) {
      client.subscribe(orders, "billing", d -> client.producer().send(Message.builder(invoices).body("for " + d.id()).build()));
      client.subscribe(invoices, "mail", d -> downstream.add(d.message()));
      Span parent = Span.wrap(SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
          TraceFlags.getDefault(), TraceState.getDefault()));
      try (Scope ignored = Context.root().with(parent).makeCurrent()) {
        client.producer().send(Message.builder(orders).body("o1").build());
      }
      Message invoice = downstream.poll(10, TimeUnit.SECONDS);
      assertThat(invoice).isNotNull();
      assertThat(invoice.header("traceparent")).matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-00")
          .doesNotContain(unsampled.substring(36, 52));
      assertThat(exporter.getFinishedSpanItems()).isEmpty();
    }
  }

  @Test
  void eachAttemptIsAConsumerSpanAndAFailedOneIsAnError() throws Exception {
    String topic = "orders-" + run;
    AtomicInteger calls = new AtomicInteger();
    try (MqClient client = Mq.builder("memory://otel-" + run).openTelemetry(sdk).connect()) {
      SubscriptionOptions fast = SubscriptionOptions.builder()
          .retryPolicy(RetryPolicy.builder().initialBackoff(Duration.ofMillis(10)).build()).build();
      client.subscribe(topic, "billing", fast, d -> failFirst(calls));
      List<SpanData> consumers = twoAttemptsOf(client, topic);
      SpanData producer = one(exporter.getFinishedSpanItems(), SpanKind.PRODUCER);
      assertThat(consumers.get(0).getAttributes().get(AttributeKey.longKey("unimq.attempt"))).isEqualTo(1L);
      assertThat(consumers.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(attr(consumers.get(0), "error.type")).isEqualTo(IllegalStateException.class.getName());
      assertThat(consumers.get(1).getAttributes().get(AttributeKey.longKey("unimq.attempt"))).isEqualTo(2L);
      assertThat(consumers.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
      assertThat(consumers).allSatisfy(c -> assertThat(c.getParentSpanId()).isEqualTo(producer.getSpanId()));
    }
  }

  @Test
  void globalOpenTelemetryIsUsedWhenNoneIsGiven() throws Exception {
    GlobalOpenTelemetry.set(sdk);
    String topic = "orders-" + run;
    BlockingQueue<Message> handled = new ArrayBlockingQueue<>(1);
    try (MqClient client = Mq.connect("memory://otel-" + run)) {
      client.subscribe(topic, "billing", d -> handled.add(d.message()));
      client.producer().send(Message.builder(topic).body("o1").build());
      assertThat(handled.poll(10, TimeUnit.SECONDS)).isNotNull();
      await().atMost(Duration.ofSeconds(10)).until(() -> exporter.getFinishedSpanItems().size() >= 2);
      assertThat(exporter.getFinishedSpanItems()).extracting(SpanData::getKind)
          .containsExactlyInAnyOrder(SpanKind.PRODUCER, SpanKind.CONSUMER);
    }
  }

  @Test
  void withSpansOffOnlyTheContextTravels() throws Exception {
    String topic = "orders-" + run;
    BlockingQueue<Message> handled = new ArrayBlockingQueue<>(1);
    try (MqClient client = Mq.builder("memory://otel-" + run).openTelemetry(sdk).openTelemetrySpans(false).connect()) {
      client.subscribe(topic, "billing", d -> handled.add(d.message()));
      String parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
      client.producer().send(Message.builder(topic).header("traceparent", parent).body("o1").build());
      assertThat(handled.poll(10, TimeUnit.SECONDS).header("traceparent")).isEqualTo(parent);
      assertThat(exporter.getFinishedSpanItems()).isEmpty();
    }
  }

  @Test
  void aBatchHandlerCallIsOneConsumerSpanLinkedToEachMessagesProducerSpan() throws Exception {
    String topic = "orders-" + run;
    String invoices = "invoices-" + run;
    BlockingQueue<Integer> batches = new ArrayBlockingQueue<>(3);
    try (MqClient client = Mq.builder("memory://otel-" + run).openTelemetry(sdk).connect()) {
      client.subscribeBatch(topic, "billing", SubscriptionOptions.builder().batch(3, Duration.ofSeconds(2)).build(), batch -> {
        client.producer().send(Message.builder(invoices).body("for " + batch.size()).build());
        batches.add(batch.size());
      });
      client.producer().sendBatch(List.of(Message.builder(topic).body("o1").build(), Message.builder(topic).body("o2").build(),
          Message.builder(topic).body("o3").build()));
      assertThat(batches.poll(10, TimeUnit.SECONDS)).isEqualTo(3);
      await().atMost(Duration.ofSeconds(10)).until(() -> exporter.getFinishedSpanItems().size() >= 5);

      List<SpanData> spans = exporter.getFinishedSpanItems();
      List<SpanData> orders = spans.stream().filter(s -> s.getName().equals("send " + topic)).toList();
      SpanData batch = one(spans, SpanKind.CONSUMER);
      SpanData invoice = spans.stream().filter(s -> s.getName().equals("send " + invoices)).findFirst().orElseThrow();
      assertThat(orders).hasSize(3);
      assertThat(spans.stream().filter(s -> s.getKind() == SpanKind.CONSUMER)).hasSize(1);
      assertThat(batch.getName()).isEqualTo("process " + topic);
      assertThat(attr(batch, "messaging.system")).isEqualTo("memory");
      assertThat(attr(batch, "messaging.destination.name")).isEqualTo(topic);
      assertThat(attr(batch, "messaging.operation.type")).isEqualTo("process");
      assertThat(attr(batch, "messaging.consumer.group.name")).isEqualTo("billing");
      assertThat(batch.getAttributes().get(AttributeKey.longKey("messaging.batch.message_count"))).isEqualTo(3L);
      // linked to each message's producer span, a child of none of them
      assertThat(batch.getLinks()).extracting(l -> l.getSpanContext().getSpanId())
          .containsExactlyInAnyOrderElementsOf(orders.stream().map(SpanData::getSpanId).toList());
      assertThat(batch.getLinks()).extracting(l -> l.getSpanContext().getTraceId())
          .containsExactlyInAnyOrderElementsOf(orders.stream().map(SpanData::getTraceId).toList());
      assertThat(batch.getLinks()).extracting(l -> l.getAttributes().get(AttributeKey.stringKey("messaging.message.id")))
          .doesNotContainNull().hasSize(3);
      assertThat(batch.getParentSpanContext().isValid()).as("the batch span has a parent").isFalse();
      assertThat(orders).extracting(SpanData::getTraceId).doesNotContain(batch.getTraceId());
      // a send from the batch handler joins the batch span's trace
      assertThat(invoice.getTraceId()).isEqualTo(batch.getTraceId());
      assertThat(invoice.getParentSpanId()).isEqualTo(batch.getSpanId());
    }
  }

  @Test
  void aFailedBatchIsAnErrorSpanAndEachRetryIsASpanOfItsOwn() throws Exception {
    String topic = "orders-" + run;
    AtomicInteger calls = new AtomicInteger();
    try (MqClient client = Mq.builder("memory://otel-" + run).openTelemetry(sdk).connect()) {
      client.subscribeBatch(topic, "billing", SubscriptionOptions.builder().batch(5, Duration.ofMillis(100))
          .retryPolicy(RetryPolicy.builder().initialBackoff(Duration.ofMillis(10)).build()).build(), batch -> failFirst(calls));
      List<SpanData> consumers = twoAttemptsOf(client, topic);
      SpanData producer = one(exporter.getFinishedSpanItems(), SpanKind.PRODUCER);
      assertThat(consumers.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(attr(consumers.get(0), "error.type")).isEqualTo(IllegalStateException.class.getName());
      assertThat(consumers.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
      assertThat(consumers).allSatisfy(c -> assertThat(c.getLinks()).extracting(l -> l.getSpanContext().getSpanId())
          .containsExactly(producer.getSpanId()));
    }
  }
}
