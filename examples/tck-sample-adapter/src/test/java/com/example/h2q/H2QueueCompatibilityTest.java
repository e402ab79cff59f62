package com.example.h2q;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.KitSummary;
import io.unimq.tck.MqCompatibilityKit;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runs every rule of the unimq compatibility kit against h2q://. */
@ExtendWith(KitSummary.class) // optional: a per-area summary after the run
class H2QueueCompatibilityTest extends MqCompatibilityKit {
  private static final String DATABASE = "kit-" + Long.toHexString(System.nanoTime());

  @Override
  protected String uri() {
    return "h2q://" + DATABASE;
  }

  @Override
  protected MqClient connect() {
    return Mq.connect(uri());
  }
}
