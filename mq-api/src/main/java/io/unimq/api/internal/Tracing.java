package io.unimq.api.internal;

import io.unimq.api.Message;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.SendReceipt;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Trace context of sends and handled messages. With the OpenTelemetry API on the classpath and an
 * {@code OpenTelemetry} that propagates (given on {@code Mq.builder(..).openTelemetry(..)}, or
 * {@code GlobalOpenTelemetry}), {@link OtelTracing} makes a PRODUCER span per send and a CONSUMER
 * span per handled message and carries the context with OpenTelemetry's propagators. Otherwise
 * {@link PlainTracing} carries the W3C {@code traceparent}/{@code tracestate} headers of the handled
 * message to the messages its handler sends, keeping the trace flags. Thread-safe.
 */
abstract class Tracing {
  static final String OPEN_TELEMETRY = "io.opentelemetry.api.OpenTelemetry";

  /** One send's span: the message to publish (context in its headers) and, as a callback, the span's end. */
  static class Send implements BiConsumer<SendReceipt, Throwable> {
    private final Message message;

    Send(Message message) {
      this.message = message;
    }

    Message message() {
      return message;
    }

    /** Ends the send's span with the send's outcome; nothing without a span. */
    @Override
    public void accept(SendReceipt receipt, Throwable error) {}
  }

  /**
   * The tracing of a client. {@code openTelemetry}: an {@code io.opentelemetry.api.OpenTelemetry}, or
   * null for {@code GlobalOpenTelemetry} when the API is on the classpath; {@code spans}: false when a
   * framework makes the spans itself (the context still travels).
   */
  static Tracing create(String scheme, Object openTelemetry, boolean spans) {
    if (!spans || openTelemetry == null && !present()) {
      return new PlainTracing();
    }
    return new OtelTracing(scheme, openTelemetry, new PlainTracing());
  }

  /** Whether the OpenTelemetry API can be loaded (it is an optional dependency). */
  static boolean present() {
    try {
      Class.forName(OPEN_TELEMETRY, false, Tracing.class.getClassLoader());
      Class.forName("io.opentelemetry.context.Context", false, Tracing.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Checks a user-given {@code OpenTelemetry} before a client is opened. */
  static void check(Object openTelemetry) {
    if (openTelemetry == null) {
      throw new MqConfigurationException("openTelemetry is null; pass an " + OPEN_TELEMETRY
          + ", or leave openTelemetry(...) out to use GlobalOpenTelemetry");
    }
    Class<?> type;
    try {
      type = Class.forName(OPEN_TELEMETRY, false, Tracing.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new MqConfigurationException("openTelemetry needs the OpenTelemetry API, which is not on the classpath: add the"
          + " dependency io.opentelemetry:opentelemetry-api", e);
    }
    if (!type.isInstance(openTelemetry)) {
      throw new MqConfigurationException("openTelemetry must be an " + OPEN_TELEMETRY + ", was " + openTelemetry.getClass().getName());
    }
  }

  /**
   * The traced form of a message about to be sent from this thread, or null when nothing is added
   * (no trace to continue, or the caller put a {@code traceparent} on the message itself).
   */
  abstract Send startSend(Message message);

  /**
   * Enters the handling of {@code message}: its context becomes current (and the {@code traceparent}
   * is in the SLF4J MDC). Returns the token for {@link #exitProcess}.
   */
  abstract Object enterProcess(Message message, String topic, String group, int attempt);

  /**
   * Enters the handling of a batch of {@code messages} by a batch handler. No message's context is
   * continued: with spans, a CONSUMER span of its own (linked to each message's context) is current
   * and in the MDC; without, no context is current and the MDC has no {@code traceparent}. Returns the
   * token for {@link #exitProcess}.
   */
  abstract Object enterBatch(List<Message> messages, String topic, String group);

  /** Leaves the handling entered with {@code token}; {@code error} is what the handler threw, or null. */
  abstract void exitProcess(Object token, Throwable error);
}
