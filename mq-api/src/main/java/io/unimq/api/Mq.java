package io.unimq.api;

import io.unimq.api.internal.Providers;
import io.unimq.api.internal.EngineClient;
import io.unimq.spi.MqConfig;
import io.unimq.spi.MqProvider;

/**
 * Entry point: {@code MqClient client = Mq.connect("kafka://127.0.0.1:9092?partitions=8");}
 *
 * <p>URI grammar: {@code scheme://[user[:password]@]host[:port][/path][?name=value&...]}. The
 * scheme picks the adapter found on the classpath through {@link java.util.ServiceLoader}
 * ({@code memory}, {@code rabbitmq}, {@code kafka}, {@code rocketmq}, {@code redis}). Parameters
 * are typed and validated; an unknown one is an error. Settings of the vendor client pass through
 * with the prefix {@code <scheme>.}. Thread-safe.
 */
public final class Mq {
  private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

  private Mq() {}

  /** Connects with default options. */
  public static MqClient connect(String uri) {
    return builder(uri).connect();
  }

  public static Builder builder(String uri) {
    return new Builder(uri);
  }

  /** Options beyond the URI. Not thread-safe. */
  public static final class Builder {
    private final String uri;
    private Object meterRegistry;
    private Object openTelemetry;
    private boolean spans = true;

    private Builder(String uri) {
      this.uri = uri;
    }

    /**
     * Records Micrometer meters ({@code unimq.send}, {@code unimq.receive}, {@code unimq.handle},
     * {@code unimq.retry}, {@code unimq.deadletter}, {@code unimq.lag}) in this
     * {@code io.micrometer.core.instrument.MeterRegistry}. Micrometer is an optional dependency.
     *
     * @throws MqConfigurationException null, not a {@code MeterRegistry}, or Micrometer
     *     ({@code io.micrometer:micrometer-core}) is not on the classpath
     */
    public Builder meterRegistry(Object meterRegistry) {
      if (meterRegistry == null) {
        throw new MqConfigurationException("meterRegistry is null; pass an io.micrometer.core.instrument.MeterRegistry,"
            + " or leave meterRegistry(...) out for no metrics");
      }
      Class<?> type;
      try {
        type = Class.forName(METER_REGISTRY, false, Mq.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        throw new MqConfigurationException("meterRegistry needs Micrometer, which is not on the classpath: add the dependency"
            + " io.micrometer:micrometer-core", e);
      }
      if (!type.isInstance(meterRegistry)) {
        throw new MqConfigurationException("meterRegistry must be an " + METER_REGISTRY + ", was "
            + meterRegistry.getClass().getName());
      }
      this.meterRegistry = meterRegistry;
      return this;
    }

    /**
     * Traces with this {@code io.opentelemetry.api.OpenTelemetry} instead of
     * {@code GlobalOpenTelemetry}: a PRODUCER span per send and a CONSUMER span per handled message,
     * the context carried in the message headers by its propagator. The OpenTelemetry API is an
     * optional dependency; without this call and with the API on the classpath, unimq uses
     * {@code GlobalOpenTelemetry} (set it before the first send).
     *
     * @throws MqConfigurationException null, not an {@code OpenTelemetry}, or the API
     *     ({@code io.opentelemetry:opentelemetry-api}) is not on the classpath
     */
    public Builder openTelemetry(Object openTelemetry) {
      EngineClient.checkOpenTelemetry(openTelemetry);
      this.openTelemetry = openTelemetry;
      return this;
    }

    /**
     * Whether unimq makes OpenTelemetry spans itself (true by default). Turn it off when a framework
     * makes the send and process spans (the Spring Boot starter with tracing on does): the trace
     * context still travels in the {@code traceparent} and {@code tracestate} headers.
     */
    public Builder openTelemetrySpans(boolean spans) {
      this.spans = spans;
      return this;
    }

    /**
     * @throws MqConfigurationException bad URI or no adapter for its scheme
     * @throws MqConnectionException the broker cannot be reached
     */
    public MqClient connect() {
      MqConfig config = MqConfig.parse(uri);
      MqProvider provider = Providers.forScheme(config.scheme());
      if (!provider.scheme().equals(config.scheme())) {
        config = config.withTlsScheme(provider.scheme()); // amqps:// is rabbitmq:// with tls=true
      }
      config.validate(provider.parameters(), EngineClient.CORE_PARAMETERS);
      return EngineClient.open(provider, config, meterRegistry, openTelemetry, spans);
    }
  }
}
