package io.unimq.memory;

import io.unimq.api.Capability;
import io.unimq.memory.internal.MemoryBroker;
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
 * and tests, not production. Thread-safe.
 */
public final class MemoryProvider implements MqProvider {
  /** Default largest message: 4 MiB. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;

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
    return Set.of("maxMessageSize");
  }

  @Override
  public Transport connect(MqConfig config) {
    int max = config.integer("maxMessageSize", DEFAULT_MAX_MESSAGE_SIZE, 1, Integer.MAX_VALUE);
    return new MemoryTransport(MemoryBroker.named(config.host()), max);
  }
}
