package io.unimq.memory;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqCompatibilityKit;
import java.time.Duration;

/** The reference run: memory:// passes every rule of the kit. */
class MemoryCompatibilityTest extends MqCompatibilityKit {
  private static final String BROKER = "kit-" + Long.toHexString(System.nanoTime());

  @Override
  protected String uri() {
    return "memory://" + BROKER + "?txCheckInterval=500ms";
  }

  @Override
  protected MqClient connect() {
    return Mq.connect(uri());
  }

  @Override
  protected Duration transactionCheckTimeout() {
    return Duration.ofSeconds(3);
  }
}
