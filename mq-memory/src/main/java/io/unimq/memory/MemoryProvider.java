package io.unimq.memory;

import io.unimq.api.Capability;
import io.unimq.memory.internal.MemorySettings;
import io.unimq.memory.internal.MemoryTransport;
import io.unimq.spi.MqConfig;
import io.unimq.spi.MqProvider;
import io.unimq.spi.Transport;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code memory://name[?maxMessageSize=4194304]}: an in-process broker with the full unimq
 * semantics (groups, ordering, retry, dead letters, delay, half messages with check-back). Clients
 * connecting to the same name in one JVM share one broker. Nothing survives the JVM: for examples
 * and tests, not production.
 *
 * <h2>Parameters</h2>
 * {@code maxMessageSize} (bytes, default 4 MiB): larger messages are rejected before the broker. The
 * core parameters ({@code connectTimeout}, {@code sendTimeout}, {@code sendRetries},
 * {@code txCheckInterval}) are accepted as on every scheme; connecting and sending never wait here.
 *
 * <p>Thread-safe, stateless.
 */
public final class MemoryProvider implements MqProvider {
  /** Default largest message: 4 MiB. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = MemorySettings.DEFAULT_MAX_MESSAGE_SIZE;

  @Override
  public String scheme() {
    return "memory";
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.allOf(Capability.class);
  }

  @Override
  public Set<String> parameters() {
    return MemorySettings.PARAMETERS;
  }

  @Override
  public Transport connect(MqConfig config) {
    return new MemoryTransport(MemorySettings.from(config));
  }
}
