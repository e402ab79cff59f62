package io.unimq.redis.internal;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Transports;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.unimq.api.Message;
import io.unimq.api.MqClosedException;
import io.unimq.api.MqException;
import io.unimq.api.SendReceipt;
import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.DeadLetterStore;
import io.unimq.spi.HalfMessageStore;
import io.unimq.spi.TopologyListing;
import io.unimq.spi.Transport;
import io.unimq.spi.TransportConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis Streams transport: one shared, pipelined connection for sends, settlements and scripts,
 * one dedicated blocking connection per consumer, a pub/sub connection that wakes the delay mover,
 * and one maintenance thread (lease refresh, trimming by {@link RedisTopology}). On one server, the
 * master Sentinel names, or a Redis Cluster alike: {@link RedisConnector} opens the connections.
 * Thread-safe.
 *
 * <p>Internal and unstable: public only for {@link io.unimq.redis.RedisStreamProvider}; not part of unimq's API and may change
 * in any release.
 */
public final class RedisTransport implements Transport {
  static final io.lettuce.core.codec.RedisCodec<String, byte[]> CODEC = KeyBytesCodec.INSTANCE;
  private static final Logger log = LoggerFactory.getLogger(RedisTransport.class);
  /**
   * Two I/O threads for every client of the process, reconnecting within a second. Each connection coalesces flushes: commands
   * written while the event loop is busy go out in one socket write (pipelining without a timer, so
   * a lone command is not delayed), at most {@value #FLUSH_EVERY} commands per write.
   */
  private static final ClientResources RESOURCES = DefaultClientResources.builder()
      .ioThreadPoolSize(2).computationThreadPoolSize(2)
      // a lost connection tries again after 100 ms, doubling to at most 1 s (Lettuce's default grows to
      // 30 s): after a restart or a Sentinel failover, work resumes within a second of the new master
      .reconnectDelay(io.lettuce.core.resource.Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
      .nettyCustomizer(new NettyCustomizer() {
        @Override
        public void afterChannelInitialized(Channel channel) {
          channel.pipeline().addFirst(new FlushConsolidationHandler(FLUSH_EVERY, true));
        }
      })
      .build();
  private static final int FLUSH_EVERY = 256;

  static {
    // Lettuce counts the clients of a shared event loop group and shuts the group down when the last
    // one shuts down, while work of that client can still be pending (the timer of a reconnect's
    // handshake): netty then logs "Failed to submit a listener notification task. Event loop shut
    // down?" at ERROR. One allocation that is never released keeps the group for the life of the
    // process, as the two I/O threads above are meant to be.
    RESOURCES.eventLoopGroupProvider().allocate(Transports.eventLoopGroupClass());
  }

  final RedisSettings settings;
  private final RedisConnector client;
  private final RedisConnector.Conn connection;
  final RedisClusterCommands<String, byte[]> redis;
  private final ScheduledExecutorService maintenance;
  private final DelayMover mover;
  private final RedisDeadLetters deadLetters = new RedisDeadLetters(this);
  private final RedisTopology topology = new RedisTopology(this);
  private final Set<String> trimmedTopics = ConcurrentHashMap.newKeySet();
  private final Set<RedisConsumer> consumers = ConcurrentHashMap.newKeySet();
  private final AtomicInteger spread = new AtomicInteger();
  private final ScheduledFuture<?> trimmer;
  /**
   * Two publishing connections. Redis reads at most 16 KiB from a connection per event-loop turn and
   * (with {@code appendfsync always}) fsyncs once per turn, so a single connection caps sends at
   * about 16 KiB per fsync. Keyed messages use their partition's connection (one connection per
   * stream keeps a key's order); unkeyed ones alternate every {@value PublishPipeline#MAX_BATCH}.
   */
  private final PublishPipeline[] pipelines;
  private volatile boolean closed;
  private final RedisListing listing = new RedisListing(this);

  /** Opens the shared connections; fails with {@link io.unimq.api.MqConnectionException} within the connect timeout when Redis is unreachable. */
  public RedisTransport(RedisSettings settings) {
    this.settings = settings;
    this.client = new RedisConnector(settings, RESOURCES);
    try {
      if (settings.tls().enabled() && settings.redisUri().getHost() != null) {
        // Lettuce would wait far longer than connectTimeout for a plaintext port to answer its ClientHello
        settings.tls().handshake(settings.redisUri().getHost(), settings.redisUri().getPort(), settings.connectTimeout());
      }
      this.connection = client.connectFirst();
      this.pipelines = new PublishPipeline[] {pipeline(), pipeline()};
    } catch (io.unimq.api.MqConfigurationException e) {
      client.shutdown(0, 1);
      throw e;
    } catch (RuntimeException | java.io.IOException e) {
      client.shutdown(0, 1);
      RedisSettings.noSuchDatabase(e, settings).ifPresent(bad -> {
        throw bad;
      });
      throw RedisErrors.connectFailure(settings, e);
    }
    this.redis = connection.sync();
    if (settings.replicaAcks() > 0) {
      warnIfTooFewReplicas();
    }
    this.maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "unimq-redis-maintenance");
      t.setDaemon(true);
      return t;
    });
    try {
      this.mover = new DelayMover(this, client.connectPubSub());
    } catch (RuntimeException e) {
      maintenance.shutdownNow();
      client.shutdown(0, 1);
      throw RedisErrors.connectFailure(settings, e);
    }
    long trimMillis = settings.trimInterval().toMillis();
    this.trimmer = maintenance.scheduleWithFixedDelay(this::trimAll, trimMillis, trimMillis, TimeUnit.MILLISECONDS);
  }

  private PublishPipeline pipeline() {
    return new PublishPipeline(client.connect(), settings.replicaAcks(), settings.replicaAckTimeout().toMillis(), this::wrap);
  }

  /** Sends would fail until enough replicas are linked: say so once, at connect (they may be on their way back). */
  private void warnIfTooFewReplicas() {
    if (client.cluster()) {
      List<String> shortOf = client.mastersShortOfReplicas(settings.replicaAcks());
      if (!shortOf.isEmpty()) {
        log.warn("Redis Cluster masters {} have fewer replicas online than {}={}: sends to their slots fail until enough"
            + " replicas are linked (set {}=0 to confirm sends without replicas)", shortOf, RedisSettings.REPLICA_ACKS,
            settings.replicaAcks(), RedisSettings.REPLICA_ACKS);
      }
      return;
    }
    try {
      String info = connection.sync().info("replication");
      long linked = info.lines().filter(l -> l.startsWith("slave") && l.contains("state=online")).count();
      if (linked < settings.replicaAcks()) {
        log.warn("the Redis master ({}) has {} replica(s) online, fewer than {}={}: sends fail until enough replicas are"
            + " linked (set {}=0 to confirm sends without replicas)", settings.address(), linked, RedisSettings.REPLICA_ACKS,
            settings.replicaAcks(), RedisSettings.REPLICA_ACKS);
      }
    } catch (RuntimeException e) {
      log.debug("INFO replication failed: {}", e.toString());
    }
  }

  /** Asynchronous commands on the shared connection (pipelined; never blocks the caller). */
  RedisClusterAsyncCommands<String, byte[]> async() {
    return connection.async();
  }

  /** A new dedicated connection (one per consumer, for blocking reads). */
  RedisConnector.Conn dedicatedConnection() {
    try {
      return client.connect();
    } catch (RedisException e) {
      throw wrap(e);
    }
  }

  /** {@code e}, thrown by Lettuce, as an {@link MqException} naming this Redis. */
  MqException wrap(Throwable e) {
    return RedisErrors.translate(e, "use Redis at " + settings.describe());
  }

  <T> T script(Lua lua, ScriptOutputType type, List<String> keys, List<?> args) {
    try {
      return lua.run(redis, type, keys, args);
    } catch (RedisException e) {
      throw wrap(e);
    }
  }

  /**
   * As {@link #script}, confirmed like a send: with {@code replicaAcks} above 0 it returns only once
   * the replicas acknowledged the script's writes (the WAIT ending a publishing connection's batch),
   * so that a failover cannot take back what the caller goes on to rely on. Blocks up to the
   * request timeout plus the replica acknowledgement timeout.
   */
  <T> T replicatedScript(Lua lua, ScriptOutputType type, List<String> keys, List<?> args) {
    if (settings.replicaAcks() == 0) {
      return script(lua, type, keys, args);
    }
    PublishPipeline via = pipelines[0];
    RedisFuture<T> eval = lua.evalAsync(via.commands(), type, keys, args);
    CompletableFuture<Void> replicated = via.written(eval, keys.get(0));
    long millis = settings.requestTimeout().plus(settings.replicaAckTimeout()).toMillis();
    try {
      T result = eval.toCompletableFuture().get(millis, TimeUnit.MILLISECONDS);
      if (replicated != null) {
        replicated.get(millis, TimeUnit.MILLISECONDS);
      }
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw wrap(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof MqException mq ? mq : wrap(e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw wrap(e);
    }
  }

  @Override
  public int maxMessageSize() {
    return settings.maxMessageSize();
  }

  /** The topic's partition count, fixed by the first client that used the topic. */
  int partitions(String topic) {
    return topology.partitions(topic);
  }

  @Override
  public CompletableFuture<SendReceipt> publish(Message message) {
    if (closed) {
      return CompletableFuture.failedFuture(new MqClosedException("redis transport is closed"));
    }
    try {
      String topic = message.topic();
      int n = partitions(topic);
      int p;
      PublishPipeline pipeline;
      if (message.key() == null) {
        int turn = spread.getAndIncrement();
        p = Math.floorMod(turn, n);
        pipeline = pipelines[(turn / PublishPipeline.MAX_BATCH) & 1];
      } else {
        p = Keys.partitionOf(message.key(), n);
        pipeline = pipelines[p & 1];
      }
      String stream = Keys.partition(topic, p);
      if (message.deliverAt() != null && message.deliverAt().toEpochMilli() > System.currentTimeMillis()) {
        mover.track(topic);
        return schedule(topic, "*", stream, message, RedisCodec.packedFields(message), message.deliverAt().toEpochMilli(), false,
            null, null, null, settings.replicaAcks() > 0 ? pipeline : null).thenApply(due -> SendReceipt.of(message, topic, null));
      }
      RedisFuture<String> added = pipeline.commands().xadd(stream, RedisCodec.fields(message));
      CompletableFuture<Void> replicated = pipeline.written(added, stream);
      CompletableFuture<SendReceipt> sent = added.toCompletableFuture()
          .handle((entryId, error) -> {
            if (error != null) {
              throw wrap(error);
            }
            return SendReceipt.of(message, topic, stream, "/", entryId);
          });
      return replicated == null ? sent : sent.thenCombine(replicated, (receipt, acked) -> receipt);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(wrap(e));
    }
  }

  /** Puts a copy in the topic's schedule; when {@code ackStream} is set, acks that entry in the same step. */
  CompletableFuture<Long> schedule(String topic, String counter, String target, Message message, byte[] blob, long millis,
      boolean relative, String ackStream, String group, String entryId) {
    return schedule(topic, counter, target, message, blob, millis, relative, ackStream, group, entryId, null);
  }

  /**
   * As above; with {@code via}, a delayed send waiting for replica acknowledgements: the script runs on
   * that publishing connection, so that the WAIT ending its batch confirms it (a WAIT on the shared
   * connection would hold up every command behind it while a replica is missing), and whole (EVAL):
   * a NOSCRIPT retry would come after that WAIT. A retry's schedule needs no WAIT: its script also
   * acks the delivery, so a failover loses both or neither.
   */
  private CompletableFuture<Long> schedule(String topic, String counter, String target, Message message, byte[] blob, long millis,
      boolean relative, String ackStream, String group, String entryId, PublishPipeline via) {
    List<String> keys = new ArrayList<>(List.of(Keys.schedule(topic), Keys.scheduleData(topic), Keys.scheduleCounts(topic)));
    List<Object> args = new ArrayList<>(List.of(millis, counter + "|" + target + "|" + message.id() + "/" + UUID.randomUUID(),
        blob, counter, topic, relative ? "rel" : "abs"));
    if (ackStream != null) {
      keys.add(ackStream);
      args.add(group);
      args.add(entryId);
    }
    CompletableFuture<Long> run;
    CompletableFuture<Void> replicated = null;
    if (via == null) {
      run = Scripts.SCHEDULE.<Long>runAsync(connection.async(), ScriptOutputType.INTEGER, keys, args);
    } else {
      RedisFuture<Long> eval = Scripts.SCHEDULE.evalAsync(via.commands(), ScriptOutputType.INTEGER, keys, args);
      replicated = via.written(eval, keys.get(0));
      run = eval.toCompletableFuture();
    }
    CompletableFuture<Long> scheduled = run.handle((due, error) -> {
      if (error != null) {
        throw wrap(error);
      }
      mover.scheduled(topic);
      return due;
    });
    return replicated == null ? scheduled : scheduled.thenCombine(replicated, (due, acked) -> due);
  }

  @Override
  public void declareTopic(String topic) {
    partitions(topic);
  }

  @Override
  public void declareGroup(String topic, String group, boolean ordered) {
    topology.declareGroup(topic, group);
  }

  @Override
  public TransportConsumer openConsumer(ConsumerSpec spec) {
    if (closed) {
      throw new MqClosedException("redis transport is closed");
    }
    mover.track(spec.topic());
    trimmedTopics.add(spec.topic());
    RedisConsumer c = new RedisConsumer(this, spec, partitions(spec.topic()));
    consumers.add(c);
    return c;
  }

  void forget(RedisConsumer c) {
    consumers.remove(c);
  }

  ScheduledFuture<?> every(Duration period, Runnable task) {
    long ms = Math.max(10, period.toMillis());
    return maintenance.scheduleWithFixedDelay(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.debug("maintenance task failed, retrying: {}", e.toString());
      }
    }, ms, ms, TimeUnit.MILLISECONDS);
  }

  /**
   * Waits for the acks this process's consumers of {@code topic} (for {@code group}, or every group
   * when null) have queued: what reads the group's pending entries afterwards sees them settled.
   */
  void flushAcks(String topic, String group) {
    for (RedisConsumer c : consumers) {
      c.flushAcks(topic, group);
    }
  }

  @Override
  public long lag(String topic, String group) {
    flushAcks(topic, group); // acks are asynchronous: count what this process has settled
    List<String> keys = new ArrayList<>(Keys.partitions(topic, partitions(topic)));
    keys.add(Keys.retry(topic, group));
    keys.add(Keys.scheduleCounts(topic));
    Long lag = script(Scripts.LAG, ScriptOutputType.INTEGER, keys, List.of(group));
    return lag;
  }

  /** Trims every stream of {@code topic} below what its groups still need; returns the entries removed. */
  long trim(String topic) {
    return topology.trim(topic);
  }

  private void trimAll() {
    for (String topic : trimmedTopics) {
      try {
        trim(topic);
      } catch (RuntimeException e) {
        log.debug("trimming {} failed, retrying later: {}", topic, e.toString());
      }
    }
  }

  @Override
  public TopologyListing listing() {
    return listing;
  }

  @Override
  public DeadLetterStore deadLetterStore() {
    return deadLetters;
  }

  @Override
  public HalfMessageStore halfMessageStore() {
    return new RedisHalfStore(this);
  }

  /** Ends the blocking read of client {@code clientId} on the server that serves {@code key} (CLIENT UNBLOCK). */
  void unblock(String key, long clientId) {
    try {
      connection.nodeFor(key).sync().clientUnblock(clientId, io.lettuce.core.UnblockType.TIMEOUT);
    } catch (RedisException e) {
      log.debug("CLIENT UNBLOCK {} failed: {}", clientId, e.toString());
    }
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (RedisConsumer c : List.copyOf(consumers)) {
      c.close();
    }
    trimmer.cancel(false);
    mover.close();
    maintenance.shutdownNow();
    try {
      for (PublishPipeline p : pipelines) {
        p.close();
      }
      connection.close();
    } finally {
      client.shutdown(0, 2);
    }
  }
}
