package io.unimq.memory.broken;

import io.unimq.api.Capability;
import io.unimq.memory.MemoryProvider;
import io.unimq.spi.MqConfig;
import io.unimq.spi.MqProvider;
import io.unimq.spi.Transport;
import java.util.Set;

/**
 * The memory broker (the URI host names it, as for memory://) behind a wrapped transport: the base
 * of the kit's deliberately broken adapters (a transport that misbehaves in one way) and of the
 * engine's fixtures (a transport that behaves in one particular way the engine must handle, such as
 * a late send report). Declares what memory:// declares, so that no rule is skipped.
 */
public abstract class WrappedMemoryProvider implements MqProvider {
  private final MemoryProvider memory = new MemoryProvider();

  /** The memory transport, wrapped. */
  protected abstract Transport wrap(Transport memoryTransport);

  @Override
  public Set<Capability> capabilities() {
    return memory.capabilities();
  }

  @Override
  public Set<String> parameters() {
    return memory.parameters();
  }

  @Override
  public Transport connect(MqConfig config) {
    return wrap(memory.connect(config));
  }
}
