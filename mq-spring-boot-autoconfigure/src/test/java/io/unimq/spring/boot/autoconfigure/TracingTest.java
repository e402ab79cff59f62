package io.unimq.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import io.unimq.api.Delivery;
import io.unimq.spring.MqListener;
import io.unimq.spring.MqListenerRegistry;
import io.unimq.spring.MqTemplate;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With Boot's tracing (Brave), a send makes a producer span and the listener call a consumer span, its
 * child through traceparent; the client's own OpenTelemetry spans are off, so there is one span each.
 */
class TracingTest {

  @Configuration(proxyBeanMethods = false)
  static class Traced {
    final List<MutableSpan> spans = new CopyOnWriteArrayList<>();
    final List<String> traceparents = new CopyOnWriteArrayList<>();

    @Bean
    SpanHandler collectingSpanHandler() {
      return new SpanHandler() {
        @Override
        public boolean end(TraceContext context, MutableSpan span, Cause cause) {
          spans.add(span);
          return true;
        }
      };
    }

    @MqListener(id = "traced", topic = "${test.topic}", group = "g")
    void on(Delivery delivery) {
      traceparents.add(delivery.header("traceparent"));
    }
  }

  @AfterEach
  void resetGlobal() {
    GlobalOpenTelemetry.resetForTest();
  }

  @Test
  void consumerSpanIsAChildOfTheProducerSpan() {
    String topic = "traced-" + UUID.randomUUID();
    InMemorySpanExporter otelSpans = InMemorySpanExporter.create();
    GlobalOpenTelemetry.set(OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(otelSpans)).build()).build());
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, BraveAutoConfiguration.class,
            MicrometerTracingAutoConfiguration.class, UnimqAutoConfiguration.class))
        .withPropertyValues("management.tracing.sampling.probability=1.0", "test.topic=" + topic)
        .withUserConfiguration(Traced.class)
        .run(context -> {
          assertThat(context).hasNotFailed();
          Traced t = context.getBean(Traced.class);
          context.getBean(MqTemplate.class).send(topic, "k", "traced body");
          context.getBean(MqListenerRegistry.class).awaitHandled("traced", 1, Duration.ofSeconds(10));
          await().atMost(Duration.ofSeconds(10)).until(() -> t.spans.size() >= 2);

          MutableSpan producer = t.spans.stream().filter(s -> s.kind() == brave.Span.Kind.PRODUCER).findFirst().orElseThrow();
          MutableSpan consumer = t.spans.stream().filter(s -> s.kind() == brave.Span.Kind.CONSUMER).findFirst().orElseThrow();
          assertThat(producer.name()).isEqualTo(topic + " send");
          assertThat(consumer.name()).isEqualTo(topic + " process");
          assertThat(consumer.traceId()).isEqualTo(producer.traceId());
          assertThat(consumer.parentId()).isEqualTo(producer.id());
          assertThat(t.traceparents).singleElement().asString().contains(producer.traceId()).contains(producer.id());
          assertThat(t.spans).hasSize(2);
          assertThat(otelSpans.getFinishedSpanItems()).as("no second pair of spans from the client itself").isEmpty();
        });
  }
}
