package io.unimq.spi;

import io.unimq.api.Capability;
import java.util.Set;

/**
 * An adapter, found with {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/io.unimq.spi.MqProvider} (and {@code provides} in module-info).
 * Implementations must have a public no-argument constructor and be thread-safe.
 */
public interface MqProvider {
  /** The URI scheme served, lower case, for example {@code kafka}. One provider per scheme. */
  String scheme();

  /**
   * Other schemes that mean this provider's scheme with TLS on, for example {@code amqps} for
   * {@code rabbitmq}: a URI written with one is read as if written with {@link #scheme()} and
   * {@code tls=true} unless it says {@code tls} itself (messages still show it as written). Default: none.
   */
  default Set<String> tlsSchemes() {
    return Set.of();
  }

  /**
   * The optional features supported. The kit skips the areas of those missing. Those with an
   * optional piece in the SPI must match what {@link #connect} returns:
   * {@link Capability#DEAD_LETTER} exactly when {@link Transport#deadLetterStore()} is not null,
   * {@link Capability#TRANSACTIONS} exactly when {@link Transport#transactions()} or
   * {@link Transport#halfMessageStore()} is; otherwise connecting fails with
   * {@link io.unimq.api.MqConfigurationException}.
   */
  Set<Capability> capabilities();

  /**
   * The query parameters this adapter understands, besides the core ones and those prefixed with
   * {@code <scheme>.} (vendor pass-through). Anything else is rejected before {@link #connect}.
   */
  default Set<String> parameters() {
    return Set.of();
  }

  /**
   * Opens the transport. Called once per client.
   *
   * @throws io.unimq.api.MqConnectionException the broker cannot be reached
   */
  Transport connect(MqConfig config);
}
