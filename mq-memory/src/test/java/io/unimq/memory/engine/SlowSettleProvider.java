package io.unimq.memory.engine;

import io.unimq.api.Message;

/**
 * {@code engine-slowsettle://}: scheduling a retry and moving to the dead letters each take a broker
 * round trip of {@value #ROUND_TRIP_MS} ms, as on a remote broker that writes them durably.
 */
public final class SlowSettleProvider extends SettleHookProvider {
  static final long ROUND_TRIP_MS = 40;

  @Override
  public String scheme() {
    return "engine-slowsettle";
  }

  @Override
  void beforeSettle(Message next) {
    try {
      Thread.sleep(ROUND_TRIP_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
