package io.unimq.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/** Without the OpenTelemetry API on the classpath, tracing falls back to plain W3C headers, and asking for OpenTelemetry names the artifact. */
class OpenTelemetryAbsentTest {

  @Test
  void anOpenTelemetryWithoutTheApiIsAConfigurationErrorNamingTheArtifact() throws Exception {
    try (HidingLoader loader = new HidingLoader("io.opentelemetry.")) {
      Object builder = loader.loadClass(Mq.class.getName()).getMethod("builder", String.class).invoke(null, "memory://x");
      Method openTelemetry = builder.getClass().getMethod("openTelemetry", Object.class);
      Throwable thrown = null;
      try {
        openTelemetry.invoke(builder, new Object());
      } catch (InvocationTargetException e) {
        thrown = e.getCause();
      }
      assertThat(thrown).isNotNull();
      assertThat(thrown.getClass().getName()).isEqualTo(MqConfigurationException.class.getName());
      assertThat(thrown.getMessage()).contains("io.opentelemetry:opentelemetry-api");
    }
  }

  @Test
  void withoutTheApiTracingIsPlainAndContinuesTheHandledTraceWithItsFlags() throws Exception {
    try (HidingLoader loader = new HidingLoader("io.opentelemetry.")) {
      Class<?> tracingType = loader.loadClass("io.unimq.api.internal.Tracing");
      Method create = tracingType.getDeclaredMethod("create", String.class, Object.class, boolean.class);
      create.setAccessible(true);
      Object tracing = create.invoke(null, "memory", null, true);
      assertThat(tracing.getClass().getSimpleName()).isEqualTo("PlainTracing");

      Class<?> messageType = loader.loadClass(Message.class.getName());
      Object builder = messageType.getMethod("builder", String.class).invoke(null, "orders");
      builder.getClass().getMethod("header", String.class, String.class)
          .invoke(builder, "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
      builder.getClass().getMethod("body", String.class).invoke(builder, "o1");
      Object handled = builder.getClass().getMethod("build").invoke(builder);
      Object invoiceBuilder = messageType.getMethod("builder", String.class).invoke(null, "invoices");
      invoiceBuilder.getClass().getMethod("body", String.class).invoke(invoiceBuilder, "i1");
      Object invoice = invoiceBuilder.getClass().getMethod("build").invoke(invoiceBuilder);

      Method enter = tracingType.getDeclaredMethod("enterProcess", messageType, String.class, String.class, int.class);
      Method exit = tracingType.getDeclaredMethod("exitProcess", Object.class, Throwable.class);
      Method startSend = tracingType.getDeclaredMethod("startSend", messageType);
      enter.setAccessible(true);
      exit.setAccessible(true);
      startSend.setAccessible(true);
      Object token = enter.invoke(tracing, handled, "orders", "billing", 1);
      Object send;
      try {
        send = startSend.invoke(tracing, invoice);
      } finally {
        exit.invoke(tracing, token, null);
      }
      Method sent = loader.loadClass("io.unimq.api.internal.Tracing$Send").getDeclaredMethod("message");
      sent.setAccessible(true);
      Object traced = sent.invoke(send);
      String traceparent = (String) messageType.getMethod("header", String.class).invoke(traced, "traceparent");
      assertThat(traceparent).matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-00");
      assertThat(startSend.invoke(tracing, invoice)).as("outside a handler nothing is added").isNull();
    }
  }
}
