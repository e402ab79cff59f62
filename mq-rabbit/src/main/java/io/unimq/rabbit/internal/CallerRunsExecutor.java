package io.unimq.rabbit.internal;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs every task on the calling thread. Given to the consuming connection as its consumer
 * executor, so that amqp-client calls {@code handleDelivery} on the connection's reader thread
 * instead of handing each delivery to a dispatch pool first (one thread wake-up per delivery less).
 * Safe only because unimq's consumers never block in a callback: they decode the delivery and put
 * it in a buffer. Thread-safe (stateless apart from the shutdown flag).
 */
final class CallerRunsExecutor extends AbstractExecutorService {
  private volatile boolean shutdown;

  @Override
  public void execute(Runnable task) {
    task.run();
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }
}
