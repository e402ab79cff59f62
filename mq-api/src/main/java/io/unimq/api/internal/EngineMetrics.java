package io.unimq.api.internal;

import java.util.function.LongSupplier;

/** What the engine records. {@link #NOOP} without a registry; {@link MicrometerMetrics} with one. */
interface EngineMetrics {
  EngineMetrics NOOP = new EngineMetrics() {};

  default void sent(String topic, long nanos, boolean ok) {}

  default void received(String topic, String group) {}

  default void handled(String topic, String group, long nanos, boolean ok) {}

  default void retried(String topic, String group) {}

  default void deadLettered(String topic, String group) {}

  default AutoCloseable lagGauge(String topic, String group, LongSupplier lag) {
    return () -> {};
  }

  static EngineMetrics create(String broker, Object registry) {
    return registry == null ? NOOP : new MicrometerMetrics(broker, registry);
  }
}
