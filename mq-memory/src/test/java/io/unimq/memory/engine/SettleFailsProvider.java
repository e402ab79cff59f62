package io.unimq.memory.engine;

import io.unimq.api.Message;
import io.unimq.api.MqConnectionException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code engine-settlefails://}: the broker's connection is lost while failures are settled. The
 * first {@value #FAILING_SETTLEMENTS} retries or dead letters of each message fail with
 * {@link MqConnectionException}; the memory broker then delivers the released message again.
 */
public final class SettleFailsProvider extends SettleHookProvider {
  static final int FAILING_SETTLEMENTS = 4;
  static final Map<String, AtomicInteger> SETTLEMENTS = new ConcurrentHashMap<>();

  @Override
  public String scheme() {
    return "engine-settlefails";
  }

  @Override
  void beforeSettle(Message next) {
    if (SETTLEMENTS.computeIfAbsent(next.id(), id -> new AtomicInteger()).incrementAndGet() <= FAILING_SETTLEMENTS) {
      throw new MqConnectionException("connection lost", null);
    }
  }
}
