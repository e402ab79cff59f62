package io.unimq.outbox;

import io.unimq.api.IdempotencyStore;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqCompatibilityKit;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;

/**
 * The kit's idempotency area against one of this module's stores; memory:// only carries the
 * messages. One store per test class, opened on first use and closed after the class.
 */
abstract class IdempotencyStoreKit extends MqCompatibilityKit {
  /** A store and how to dispose of it. */
  record Opened(IdempotencyStore store, Runnable closer) {}

  private static final String URI = "memory://idem-" + UUID.randomUUID();
  private static Opened opened;

  /** Opens the store under test. */
  protected abstract Opened openStore();

  @Override
  protected MqClient connect() {
    return Mq.connect(URI);
  }

  @Override
  protected String uri() {
    return URI;
  }

  @Override
  protected final IdempotencyStore idempotencyStore() {
    synchronized (IdempotencyStoreKit.class) {
      if (opened == null) {
        opened = openStore();
      }
      return opened.store();
    }
  }

  @AfterAll
  static void closeStore() {
    synchronized (IdempotencyStoreKit.class) {
      if (opened != null) {
        opened.closer().run();
        opened = null;
      }
    }
  }
}
