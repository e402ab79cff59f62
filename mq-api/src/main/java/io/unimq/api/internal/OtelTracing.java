package io.unimq.api.internal;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.unimq.api.Message;
import io.unimq.api.SendReceipt;
import io.unimq.spi.Headers;
import java.util.List;
import org.slf4j.MDC;

/**
 * OpenTelemetry spans following the messaging semantic conventions: {@code send <topic>} (PRODUCER)
 * around each send until the broker confirms it, {@code process <topic>} (CONSUMER) around each
 * handler call, a child of the context the message carries; {@code process <topic>} around each
 * batch handler call, linked to each message's context, with {@code messaging.batch.message_count}. The context travels in the message
 * headers through the {@code OpenTelemetry}'s text-map propagator (the W3C trace-context one,
 * {@code traceparent} and {@code tracestate}, when it has none). An {@code OpenTelemetry} that
 * makes no spans (the no-op one {@code GlobalOpenTelemetry} returns until one is set) leaves the work
 * to {@link PlainTracing}. Only loaded when the OpenTelemetry API is on the classpath. Thread-safe.
 */
final class OtelTracing extends Tracing {
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
  static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
  static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
  static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
  static final AttributeKey<String> GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
  static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
  static final AttributeKey<Long> BODY_SIZE = AttributeKey.longKey("messaging.message.body.size");
  /** The delivery attempt, 1-based (the conventions have no system-neutral name for it). */
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("unimq.attempt");
  static final AttributeKey<Long> BATCH_COUNT = AttributeKey.longKey("messaging.batch.message_count");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private static final TextMapSetter<Message.Builder> SETTER = (b, key, value) -> {
    if (b != null) {
      b.header(key, value);
    }
  };
  private static final TextMapGetter<Message> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Message m) {
      return m.headers().keySet();
    }

    @Override
    public String get(Message m, String key) {
      return m == null ? null : m.header(key);
    }
  };

  /** What an {@code OpenTelemetry} gives the engine, kept for the instance it came from. */
  private record Resolved(OpenTelemetry otel, Tracer tracer, TextMapPropagator propagator) {}

  private final String system;
  private final OpenTelemetry given;
  private final PlainTracing plain;
  private volatile Resolved resolved;

  OtelTracing(String scheme, Object openTelemetry, PlainTracing plain) {
    this.system = scheme;
    this.given = (OpenTelemetry) openTelemetry;
    this.plain = plain;
  }

  /** The instance's tracer and propagator, or null when it makes no spans. */
  private Resolved resolve() {
    OpenTelemetry otel = given != null ? given : GlobalOpenTelemetry.get();
    Resolved r = resolved;
    if (r == null || r.otel != otel) {
      TracerProvider provider = otel.getTracerProvider();
      if (provider == TracerProvider.noop()) {
        r = new Resolved(otel, null, null);
      } else {
        TextMapPropagator p = otel.getPropagators().getTextMapPropagator();
        r = new Resolved(otel, provider.get("io.unimq"), p == TextMapPropagator.noop() ? W3CTraceContextPropagator.getInstance() : p);
      }
      resolved = r;
    }
    return r.tracer == null ? null : r;
  }

  @Override
  Send startSend(Message message) {
    if (message.header(Headers.TRACEPARENT) != null) {
      return null; // the caller traced it (a framework's own span, a replay)
    }
    Resolved r = resolve();
    if (r == null) {
      return plain.startSend(message);
    }
    Context parent = Context.current();
    Span span = r.tracer.spanBuilder("send " + message.topic()).setSpanKind(SpanKind.PRODUCER).setParent(parent)
        .setAttribute(SYSTEM, system)
        .setAttribute(DESTINATION, message.topic())
        .setAttribute(OPERATION_TYPE, "send")
        .setAttribute(OPERATION_NAME, "send")
        .setAttribute(MESSAGE_ID, message.id())
        .setAttribute(BODY_SIZE, (long) (message.body() == null ? 0 : message.body().length))
        .startSpan();
    Message.Builder b = message.toBuilder();
    r.propagator.inject(parent.with(span), b, SETTER);
    return new Send(b.build()) {
      @Override
      public void accept(SendReceipt receipt, Throwable error) {
        end(span, error);
      }
    };
  }

  private static void end(Span span, Throwable error) {
    if (error != null) {
      Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
      span.setStatus(StatusCode.ERROR, String.valueOf(cause.getMessage()));
      span.setAttribute(ERROR_TYPE, cause.getClass().getName());
      span.recordException(cause);
    }
    span.end();
  }

  /** A handling in progress: its span, its scope and the MDC value it replaced. */
  private record Process(Span span, Scope scope, String previousMdc) {}

  @Override
  Object enterProcess(Message message, String topic, String group, int attempt) {
    Resolved r = resolve();
    if (r == null) {
      return plain.enterProcess(message, topic, group, attempt);
    }
    Context parent = r.propagator.extract(Context.root(), message, GETTER);
    Span span = r.tracer.spanBuilder("process " + topic).setSpanKind(SpanKind.CONSUMER).setParent(parent)
        .setAttribute(SYSTEM, system)
        .setAttribute(DESTINATION, topic)
        .setAttribute(OPERATION_TYPE, "process")
        .setAttribute(OPERATION_NAME, "process")
        .setAttribute(GROUP, group)
        .setAttribute(MESSAGE_ID, message.id())
        .setAttribute(BODY_SIZE, (long) (message.body() == null ? 0 : message.body().length))
        .setAttribute(ATTEMPT, (long) attempt)
        .startSpan();
    return enter(span, parent);
  }

  @Override
  Object enterBatch(List<Message> messages, String topic, String group) {
    Resolved r = resolve();
    if (r == null) {
      return plain.enterBatch(messages, topic, group);
    }
    Context parent = Context.current();
    SpanBuilder b = r.tracer.spanBuilder("process " + topic).setSpanKind(SpanKind.CONSUMER).setParent(parent)
        .setAttribute(SYSTEM, system)
        .setAttribute(DESTINATION, topic)
        .setAttribute(OPERATION_TYPE, "process")
        .setAttribute(OPERATION_NAME, "process")
        .setAttribute(GROUP, group)
        .setAttribute(BATCH_COUNT, (long) messages.size());
    for (Message m : messages) {
      SpanContext linked = Span.fromContext(r.propagator.extract(Context.root(), m, GETTER)).getSpanContext();
      if (linked.isValid()) {
        b.addLink(linked, Attributes.of(MESSAGE_ID, m.id()));
      }
    }
    return enter(b.startSpan(), parent);
  }

  /** Makes {@code span} current (a child of {@code parent}) and puts its traceparent in the MDC. */
  private static Process enter(Span span, Context parent) {
    String previousMdc = MDC.get(Headers.TRACEPARENT);
    SpanContext c = span.getSpanContext();
    if (c.isValid()) {
      MDC.put(Headers.TRACEPARENT, "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex());
    } else {
      MDC.remove(Headers.TRACEPARENT);
    }
    return new Process(span, parent.with(span).makeCurrent(), previousMdc);
  }

  @Override
  void exitProcess(Object token, Throwable error) {
    if (!(token instanceof Process p)) {
      plain.exitProcess(token, error);
      return;
    }
    p.scope.close();
    if (p.previousMdc == null) {
      MDC.remove(Headers.TRACEPARENT);
    } else {
      MDC.put(Headers.TRACEPARENT, p.previousMdc);
    }
    end(p.span, error);
  }
}
