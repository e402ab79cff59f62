package io.unimq.memory.broken;

import io.unimq.api.Capability;
import io.unimq.memory.MemoryProvider;
import io.unimq.spi.MqConfig;
import io.unimq.spi.MqProvider;
import io.unimq.spi.Transport;
import java.util.Set;

/**
 * A deliberately broken adapter for the kit's self-test: the memory broker (the URI host names
 * it, as for memory://) behind a transport that misbehaves in one way. Declares what memory://
 * declares, so that no rule is skipped.
 */
abstract class BrokenProvider implements MqProvider {
  private final MemoryProvider memory = new MemoryProvider();

  /** The memory transport, wrapped so that it misbehaves. */
  abstract Transport breakIt(Transport memoryTransport);

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
    return breakIt(memory.connect(config));
  }
}
