package io.unimq.api.internal;

import io.unimq.api.MqConfigurationException;
import io.unimq.spi.MqProvider;
import java.util.Iterator;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds adapters with {@link ServiceLoader}, surviving a broken provider.
 *
 * <p>Internal and unstable: public only for {@link io.unimq.api.Mq}; not part of unimq's API and may change
 * in any release.
 */
public final class Providers {
  private static final Logger log = LoggerFactory.getLogger(Providers.class);
  private static final Map<String, String> ARTIFACTS = Map.of(
      "memory", "io.unimq:mq-memory",
      "rabbitmq", "io.unimq:mq-rabbit",
      "kafka", "io.unimq:mq-kafka",
      "rocketmq", "io.unimq:mq-rocketmq",
      "redis", "io.unimq:mq-redis-stream",
      "amqps", "io.unimq:mq-rabbit",
      "rediss", "io.unimq:mq-redis-stream",
      "redis-sentinel", "io.unimq:mq-redis-stream",
      "redis-cluster", "io.unimq:mq-redis-stream");

  private Providers() {}

  /** Every provider on the classpath by scheme; two claiming one scheme is an error. */
  public static Map<String, MqProvider> all() {
    Map<String, MqProvider> found = new TreeMap<>();
    Iterator<MqProvider> it = ServiceLoader.load(MqProvider.class, classLoader()).iterator();
    while (true) {
      MqProvider p;
      try {
        if (!it.hasNext()) {
          break;
        }
        p = it.next();
      } catch (ServiceConfigurationError e) {
        log.warn("skipping a unimq provider that failed to load: {}", e.getMessage());
        continue;
      }
      MqProvider previous = found.put(p.scheme(), p);
      if (previous != null && previous.getClass() != p.getClass()) {
        throw new MqConfigurationException("two unimq providers claim the scheme '" + p.scheme() + "': "
            + previous.getClass().getName() + " and " + p.getClass().getName() + "; remove one from the classpath");
      }
    }
    return found;
  }

  /** The provider serving {@code scheme}, as its own scheme or one of its {@link MqProvider#tlsSchemes()}. */
  public static MqProvider forScheme(String scheme) {
    Map<String, MqProvider> all = all();
    MqProvider p = all.get(scheme);
    if (p != null) {
      return p;
    }
    for (MqProvider candidate : all.values()) {
      if (candidate.tlsSchemes().contains(scheme)) {
        return candidate;
      }
    }
    String artifact = ARTIFACTS.get(scheme);
    String hint = artifact != null
        ? scheme + ":// needs " + artifact + " on the classpath"
        : "no unimq adapter serves " + scheme + ":// (add the artifact of an adapter that does; the built-in ones are "
            + String.join(", ", new java.util.TreeSet<>(ARTIFACTS.values())) + ")";
    throw new MqConfigurationException(hint + "; adapters found: " + (all.isEmpty() ? "none" : all.keySet()));
  }

  private static ClassLoader classLoader() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    return cl != null ? cl : Providers.class.getClassLoader();
  }
}
