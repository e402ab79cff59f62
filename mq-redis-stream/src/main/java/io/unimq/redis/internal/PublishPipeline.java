package io.unimq.redis.internal;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
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
 * made before it, so one WAIT confirms the whole batch.
 *
 * <p>On a Redis Cluster, Lettuce routes each command to the master of its key's slot as it is
 * written (auto-flush stays on), and a WAIT confirms only the writes its master took. So the writes
 * are gathered per master instead: once a master's batch is answered, one WAIT goes to that master,
 * on the connection the writes travelled on, and the next batch for that master gathers meanwhile
 * (a slow or lost master holds up only its own confirmations). A write a redirect moved is covered
 * by the WAIT on the master serving its slot once its reply is in.
 *
 * <p>A WAIT confirms only writes made on its own connection to its own server: after a reconnect (to
 * a promoted replica, say) it would answer at once for writes the old master took. So a batch whose
 * connection dropped before its WAIT answered, or whose slot moved to another master, fails with an
 * unknown outcome instead of being confirmed. Thread-safe.
 */
final class PublishPipeline {
  static final int MAX_BATCH = 64;

  /** Cluster: the writes gathered for one master, and what completes when its replicas have them. */
  private static final class Batch {
    final String key;
    final List<CompletableFuture<?>> writes = new ArrayList<>();
    final CompletableFuture<Void> replicated = new CompletableFuture<>();

    Batch(String key) {
      this.key = key;
    }
  }

  private final RedisConnector.Conn connection;
  private final RedisClusterAsyncCommands<String, byte[]> async;
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
  /** Cluster: per master (host:port), the batch gathering and the WAIT on its way. Guarded by this. */
  private final Map<String, Batch> gathering = new HashMap<>();
  private final Map<String, CompletableFuture<?>> waiting = new HashMap<>();
  /** Times the connection dropped; a batch records it when it starts. */
  private final AtomicLong disconnects = new AtomicLong();
  /** {@link #disconnects} when the unflushed batch started. Guarded by this. */
  private long batchDisconnects;

  PublishPipeline(RedisConnector.Conn connection) {
    this(connection, 0, 0, e -> new IllegalStateException(e));
  }

  PublishPipeline(RedisConnector.Conn connection, int replicaAcks, long replicaAckMillis,
      Function<Throwable, RuntimeException> wrap) {
    this.connection = connection;
    this.replicaAcks = replicaAcks;
    this.replicaAckMillis = replicaAckMillis;
    this.wrap = wrap;
    if (!connection.cluster()) {
      connection.stateful().setAutoFlushCommands(false);
    }
    connection.stateful().addListener(new RedisConnectionStateListener() {
      @Override
      public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
        disconnects.incrementAndGet();
      }
    });
    this.async = connection.async();
  }

  /** Commands to write; every one must be followed by {@link #written}. */
  RedisClusterAsyncCommands<String, byte[]> commands() {
    return async;
  }

  /**
   * Call after writing {@code command} on {@code key}: flushes now, or once the batch on its way is
   * answered. Returns what completes when the replicas acknowledged it, or null when no
   * acknowledgement is asked for.
   */
  synchronized CompletableFuture<Void> written(RedisFuture<?> command, String key) {
    if (connection.cluster()) {
      return replicaAcks > 0 ? gather(command, key) : null; // already on its way
    }
    unflushed++;
    newest = command;
    CompletableFuture<Void> acked = null;
    if (replicaAcks > 0) {
      if (replicated == null) {
        replicated = new CompletableFuture<>();
        batchDisconnects = disconnects.get();
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
      long since = batchDisconnects;
      RedisFuture<Long> wait = async.waitForReplication(replicaAcks, replicaAckMillis);
      wait.whenComplete((acks, error) -> {
        if (error == null && disconnects.get() != since) {
          batch.completeExceptionally(RedisErrors.masterChanged(batchSize + " send(s)", "the connection dropped"));
        } else {
          settle(batch, batchSize, acks, error);
        }
      });
      last = wait;
    }
    unflushed = 0;
    newest = null;
    onItsWay = last;
    connection.stateful().flushCommands();
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

  private void settle(CompletableFuture<Void> batch, int size, Long acks, Throwable error) {
    if (error != null) {
      batch.completeExceptionally(wrap.apply(error));
    } else if (acks < replicaAcks) {
      batch.completeExceptionally(RedisErrors.notReplicated(size + " send(s)", acks, replicaAcks, replicaAckMillis));
    } else {
      batch.complete(null);
    }
  }

  /** Cluster: adds the write to its master's batch; sends that batch's WAIT now unless one is on its way. */
  private CompletableFuture<Void> gather(RedisFuture<?> command, String key) {
    String master;
    try {
      master = connection.masterAddress(key);
    } catch (RuntimeException e) {
      master = "none:" + key; // no master serves the slot now: a batch of its own, whose WAIT fails
    }
    Batch b = gathering.computeIfAbsent(master, m -> new Batch(key));
    b.writes.add(command.toCompletableFuture());
    if (!waiting.containsKey(master) || b.writes.size() >= MAX_BATCH) {
      sendWait(master);
    }
    return b.replicated;
  }

  private void sendWait(String master) {
    Batch b = gathering.remove(master);
    // after the writes' replies: the WAIT follows them on the connection that carried them
    CompletableFuture<Long> wait = CompletableFuture.allOf(b.writes.toArray(new CompletableFuture<?>[0]))
        .handle((v, e) -> null)
        .thenCompose(v -> {
          String now = connection.masterAddress(b.key);
          if (!now.equals(master)) {
            return CompletableFuture.failedFuture(
                RedisErrors.masterChanged(b.writes.size() + " send(s)", "their slot moved from " + master + " to " + now));
          }
          return connection.nodeForAsync(b.key);
        })
        .thenCompose(node -> node.async().waitForReplication(replicaAcks, replicaAckMillis));
    waiting.put(master, wait);
    wait.whenComplete((acks, error) -> {
      settle(b.replicated, b.writes.size(), acks, error);
      waited(master, wait);
    });
  }

  private synchronized void waited(String master, CompletableFuture<?> wait) {
    if (waiting.get(master) != wait) {
      return; // a later batch's WAIT is on its way (sent for size)
    }
    waiting.remove(master);
    if (gathering.containsKey(master)) {
      sendWait(master);
    }
  }

  void close() {
    connection.close();
  }
}
