package io.unimq.redis.internal;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The publishing connection, pipelined without a timer: commands are written to lettuce's buffer
 * (auto-flush off) and flushed as one socket write. A command finding no batch on its way flushes
 * at once (a lone send is not delayed); commands arriving while a batch is on its way wait until its
 * last reply and then go out together, at most {@value #MAX_BATCH} at a time. Under load each write
 * carries what arrived during one round trip, where a flush per command costs an event-loop task,
 * a wake-up and a system call each.
 *
 * <p>With replica acknowledgements on ({@code replicaAcks > 0}), each batch ends with one
 * {@code WAIT replicaAcks timeout}: it answers once the replicas have every write this connection
 * made before it, so one WAIT confirms the whole batch. Thread-safe.
 */
final class PublishPipeline {
  static final int MAX_BATCH = 64;

  private final StatefulRedisConnection<String, byte[]> connection;
  private final RedisAsyncCommands<String, byte[]> async;
  private final int replicaAcks;
  private final long replicaAckMillis;
  /** What a failed WAIT (error or too few replicas) becomes. */
  private final Function<Throwable, RuntimeException> wrap;
  /** The last command of the batch on its way; null when none is. Guarded by this. */
  private RedisFuture<?> onItsWay;
  /** Commands written since the last flush, and the newest of them. Guarded by this. */
  private int unflushed;
  private RedisFuture<?> newest;
  /** Completes when the replicas acknowledged the unflushed batch; null when none is. Guarded by this. */
  private CompletableFuture<Void> replicated;

  PublishPipeline(StatefulRedisConnection<String, byte[]> connection) {
    this(connection, 0, 0, e -> new IllegalStateException(e));
  }

  PublishPipeline(StatefulRedisConnection<String, byte[]> connection, int replicaAcks, long replicaAckMillis,
      Function<Throwable, RuntimeException> wrap) {
    this.connection = connection;
    this.replicaAcks = replicaAcks;
    this.replicaAckMillis = replicaAckMillis;
    this.wrap = wrap;
    connection.setAutoFlushCommands(false);
    this.async = connection.async();
  }

  /** Commands to write; every one must be followed by {@link #written}. */
  RedisAsyncCommands<String, byte[]> commands() {
    return async;
  }

  /**
   * Call after writing {@code command}: flushes now, or once the batch on its way is answered.
   * Returns what completes when the replicas acknowledged it, or null when no acknowledgement is
   * asked for.
   */
  synchronized CompletableFuture<Void> written(RedisFuture<?> command) {
    unflushed++;
    newest = command;
    CompletableFuture<Void> acked = null;
    if (replicaAcks > 0) {
      if (replicated == null) {
        replicated = new CompletableFuture<>();
      }
      acked = replicated;
    }
    if (onItsWay == null || unflushed >= MAX_BATCH) {
      flush();
    }
    return acked;
  }

  private void flush() {
    RedisFuture<?> last = newest;
    if (replicaAcks > 0) {
      CompletableFuture<Void> batch = replicated;
      int batchSize = unflushed;
      replicated = null;
      RedisFuture<Long> wait = async.waitForReplication(replicaAcks, replicaAckMillis);
      wait.whenComplete((acks, error) -> {
        if (error != null) {
          batch.completeExceptionally(wrap.apply(error));
        } else if (acks < replicaAcks) {
          batch.completeExceptionally(RedisErrors.notReplicated(batchSize + " send(s)", acks, replicaAcks, replicaAckMillis));
        } else {
          batch.complete(null);
        }
      });
      last = wait;
    }
    unflushed = 0;
    newest = null;
    onItsWay = last;
    connection.flushCommands();
    RedisFuture<?> answer = last;
    answer.whenComplete((r, e) -> answered(answer));
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
