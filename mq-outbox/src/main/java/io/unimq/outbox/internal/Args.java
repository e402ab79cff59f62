package io.unimq.outbox.internal;

import io.unimq.api.MqConfigurationException;

/**
 * Argument checks of the outbox's public entry points: a missing argument is an
 * {@link MqConfigurationException} naming it, never a {@link NullPointerException}. Stateless.
 *
 * <p>Internal and unstable: public only for {@code io.unimq.outbox}; not part of unimq's API and may
 * change in any release.
 */
public final class Args {
  private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

  private Args() {}

  /** {@code value}, or an {@link MqConfigurationException} saying that {@code what} is null and what to pass. */
  public static <T> T required(String what, T value, String hint) {
    if (value == null) {
      throw new MqConfigurationException(what + " is null; " + hint);
    }
    return value;
  }

  /**
   * {@code registry} when it is a Micrometer {@code MeterRegistry}.
   *
   * @throws MqConfigurationException null, another type, or Micrometer is not on the class path
   */
  public static Object meterRegistry(String what, Object registry) {
    required(what, registry, "pass an " + METER_REGISTRY + ", or leave it out for no metrics");
    Class<?> type;
    try {
      type = Class.forName(METER_REGISTRY, false, Args.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new MqConfigurationException(what + " needs Micrometer, which is not on the classpath: add the dependency"
          + " io.micrometer:micrometer-core", e);
    }
    if (!type.isInstance(registry)) {
      throw new MqConfigurationException(what + " must be an " + METER_REGISTRY + ", was " + registry.getClass().getName());
    }
    return registry;
  }
}
