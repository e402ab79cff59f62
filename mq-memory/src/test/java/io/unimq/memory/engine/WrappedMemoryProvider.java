package io.unimq.memory.engine;

import io.unimq.api.Capability;
import io.unimq.memory.MemoryProvider;
import io.unimq.spi.MqConfig;
import io.unimq.spi.MqProvider;
import io.unimq.spi.Transport;
import java.util.Set;

/**
 * An engine test fixture: the memory broker (the URI host names it, as for memory://) behind a
 * transport that behaves in one particular way the engine must handle (a late or missing send
 * report, a client that retries sends itself). Declares what memory:// declares.
 */
abstract class WrappedMemoryProvider implements MqProvider {
  private final MemoryProvider memory = new MemoryProvider();

  /** The memory transport, wrapped. */
  abstract Transport wrap(Transport memoryTransport);

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
