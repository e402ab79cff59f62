package io.unimq.api.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.unimq.api.MqConfigurationException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** Micrometer meters tagged broker/topic/group. Loaded only when a registry is given. */
final class MicrometerMetrics implements EngineMetrics {
  private final String broker;
  private final MeterRegistry registry;

  MicrometerMetrics(String broker, Object registry) {
    if (!(registry instanceof MeterRegistry)) {
      throw new MqConfigurationException("meterRegistry must be an io.micrometer.core.instrument.MeterRegistry, was " + registry.getClass().getName());
    }
    this.broker = broker;
    this.registry = (MeterRegistry) registry;
  }

  @Override
  public void sent(String topic, long nanos, boolean ok) {
    Timer.builder("unimq.send").tag("broker", broker).tag("topic", topic).tag("result", ok ? "ok" : "error")
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void received(String topic, String group) {
    counter("unimq.receive", topic, group).increment();
  }

  @Override
  public void handled(String topic, String group, long nanos, boolean ok) {
    Timer.builder("unimq.handle").tag("broker", broker).tag("topic", topic).tag("group", group)
        .tag("result", ok ? "ok" : "error").register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void retried(String topic, String group) {
    counter("unimq.retry", topic, group).increment();
  }

  @Override
  public void deadLettered(String topic, String group) {
    counter("unimq.deadletter", topic, group).increment();
  }

  @Override
  public AutoCloseable lagGauge(String topic, String group, LongSupplier lag) {
    Gauge g = Gauge.builder("unimq.lag", lag, s -> (double) s.getAsLong()).tag("broker", broker)
        .tag("topic", topic).tag("group", group).register(registry);
    return () -> registry.remove(g);
  }

  private Counter counter(String name, String topic, String group) {
    return Counter.builder(name).tag("broker", broker).tag("topic", topic).tag("group", group).register(registry);
  }
}
