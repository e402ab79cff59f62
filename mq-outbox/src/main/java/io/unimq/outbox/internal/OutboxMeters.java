package io.unimq.outbox.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.unimq.api.MqConfigurationException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The relay's Micrometer meters, tagged {@code outbox=<relay name>}: gauges
 * {@code unimq.outbox.pending} (rows) and {@code unimq.outbox.oldest.age} (seconds), counters
 * {@code unimq.outbox.published} and {@code unimq.outbox.unconfirmed}. The gauges read the snapshot
 * the relay refreshes, never the database. Loaded only when a registry is given.
 *
 * <p>Internal and unstable: public only for {@link io.unimq.outbox.OutboxRelay}; not part of unimq's API and may change
 * in any release.
 */
public final class OutboxMeters implements AutoCloseable {
  private final MeterRegistry registry;
  private final List<Meter> meters;

  public OutboxMeters(Object registry, String name, RelayEngine engine) {
    if (!(registry instanceof MeterRegistry)) {
      throw new MqConfigurationException("meterRegistry must be an io.micrometer.core.instrument.MeterRegistry, was "
          + registry.getClass().getName());
    }
    this.registry = (MeterRegistry) registry;
    this.meters = List.of(
        Gauge.builder("unimq.outbox.pending", engine, e -> e.lastPending().rows()).tag("outbox", name)
            .description("outbox rows not yet confirmed by the broker").baseUnit("rows").register(this.registry),
        Gauge.builder("unimq.outbox.oldest.age", engine, OutboxMeters::oldestAgeSeconds).tag("outbox", name)
            .description("age of the oldest pending outbox row").baseUnit("seconds").register(this.registry),
        FunctionCounter.builder("unimq.outbox.published", engine, RelayEngine::publishedTotal).tag("outbox", name)
            .description("outbox rows published and marked sent").register(this.registry),
        FunctionCounter.builder("unimq.outbox.unconfirmed", engine, RelayEngine::failedTotal).tag("outbox", name)
            .description("outbox row sends the broker did not confirm (sent again later)").register(this.registry));
  }

  private static double oldestAgeSeconds(RelayEngine engine) {
    Instant oldest = engine.lastPending().oldestCreatedAt();
    return oldest == null ? 0 : Math.max(0, Duration.between(oldest, Instant.now()).toMillis() / 1000.0);
  }

  @Override
  public void close() {
    meters.forEach(registry::remove);
  }
}
