package io.unimq.memory.broken;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqCompatibilityKit;
import io.unimq.tck.TckTimeouts;
import java.time.Duration;

/**
 * The kit against a broken adapter (each broken provider has a {@code Kit} subclass). Not run by
 * surefire directly (no Test suffix):
 * {@link BrokenAdaptersAreCaughtTest} runs chosen areas of it and expects failures. Timeouts are
 * cut to 20 %, since the memory broker answers at once and the expected failures are timeouts.
 */
abstract class BrokenAdapterKit extends MqCompatibilityKit {
  private final String uri;

  BrokenAdapterKit(String scheme) {
    this.uri = scheme + "://broken-" + Long.toHexString(System.nanoTime()) + "?txCheckInterval=500ms";
  }

  @Override
  protected String uri() {
    return uri;
  }

  @Override
  protected MqClient connect() {
    return Mq.connect(uri);
  }

  @Override
  protected Duration transactionCheckTimeout() {
    return Duration.ofSeconds(3);
  }

  @Override
  protected TckTimeouts timeouts() {
    return TckTimeouts.of(0.2 * TckTimeouts.fromEnvironment().scale());
  }
}
