package io.unimq.memory.internal;

import io.unimq.spi.MqConfig;
import java.util.Set;

/**
 * The parsed {@code memory://name} URI: the broker's name (clients of one JVM using the same name
 * share a broker) and its parameters, read and validated here, once. Immutable, thread-safe.
 *
 * @param name the broker's name: the URI's host part
 * @param maxMessageSize larger messages are rejected before they reach the broker
 *
 * <p>Internal and unstable: public only for {@link io.unimq.memory.MemoryProvider}; not part of unimq's API and may change
 * in any release.
 */
public record MemorySettings(String name, int maxMessageSize) {
  public static final String MAX_MESSAGE_SIZE = "maxMessageSize";
  /** The adapter's own parameters. */
  public static final Set<String> PARAMETERS = Set.of(MAX_MESSAGE_SIZE);
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;

  /** Reads and validates {@code config}; throws {@link io.unimq.api.MqConfigurationException} naming a bad parameter. */
  public static MemorySettings from(MqConfig config) {
    return new MemorySettings(config.host(), config.integer(MAX_MESSAGE_SIZE, DEFAULT_MAX_MESSAGE_SIZE, 1, Integer.MAX_VALUE));
  }
}
