package io.unimq.redis.internal;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * The publishing connection, pipelined without a timer: commands are written to lettuce's buffer
 * (auto-flush off) and flushed as one socket write. A command finding no batch on its way flushes
 * at once (a lone send is not delayed); commands arriving while a batch is on its way wait until its
 * last reply and then go out together, at most {@value #MAX_BATCH} at a time. Under load each write
 * carries what arrived during one round trip, where a flush per command costs an event-loop task,
 * a wake-up and a system call each. Thread-safe.
 */
final class PublishPipeline {
  static final int MAX_BATCH = 64;

  private final StatefulRedisConnection<String, byte[]> connection;
  private final RedisAsyncCommands<String, byte[]> async;
  /** The last command of the batch on its way; null when none is. Guarded by this. */
  private RedisFuture<?> onItsWay;
  /** Commands written since the last flush, and the newest of them. Guarded by this. */
  private int unflushed;
  private RedisFuture<?> newest;

  PublishPipeline(StatefulRedisConnection<String, byte[]> connection) {
    this.connection = connection;
    connection.setAutoFlushCommands(false);
    this.async = connection.async();
  }

  /** Commands to write; every one must be followed by {@link #written}. */
  RedisAsyncCommands<String, byte[]> commands() {
    return async;
  }

  /** Call after writing {@code command}: flushes now, or once the batch on its way is answered. */
  synchronized void written(RedisFuture<?> command) {
    unflushed++;
    newest = command;
    if (onItsWay == null || unflushed >= MAX_BATCH) {
      flush();
    }
  }

  private void flush() {
    RedisFuture<?> last = newest;
    unflushed = 0;
    newest = null;
    onItsWay = last;
    connection.flushCommands();
    last.whenComplete((r, e) -> answered(last));
  }

  private synchronized void answered(RedisFuture<?> last) {
    if (onItsWay != last) {
      return; // a later batch is on its way (flushed for size)
    }
    onItsWay = null;
    if (unflushed > 0) {
      flush();
    }
  }

  void close() {
    connection.close();
  }
}
