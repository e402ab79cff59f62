package io.unimq.api;

import io.unimq.api.internal.Providers;
import io.unimq.api.internal.EngineClient;
import io.unimq.spi.MqConfig;
import io.unimq.spi.MqProvider;
import java.util.Objects;

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

    private Builder(String uri) {
      this.uri = uri;
    }

    /**
     * Records Micrometer meters ({@code unimq.send}, {@code unimq.receive}, {@code unimq.handle},
     * {@code unimq.retry}, {@code unimq.deadletter}, {@code unimq.lag}) in this
     * {@code io.micrometer.core.instrument.MeterRegistry}. Micrometer is an optional dependency.
     */
    public Builder meterRegistry(Object meterRegistry) {
      this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
      return this;
    }

    /**
     * @throws MqConfigurationException bad URI or no adapter for its scheme
     * @throws MqConnectionException the broker cannot be reached
     */
    public MqClient connect() {
      MqConfig config = MqConfig.parse(uri);
      MqProvider provider = Providers.forScheme(config.scheme());
      config.validate(provider.parameters(), EngineClient.CORE_PARAMETERS);
      return EngineClient.open(provider, config, meterRegistry);
    }
  }
}
