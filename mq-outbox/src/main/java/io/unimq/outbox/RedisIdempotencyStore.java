package io.unimq.outbox;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.unimq.api.IdempotencyStore;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.MqConnectionException;
import io.unimq.outbox.internal.IdempotencyKeys;
import io.unimq.outbox.internal.Args;
import java.time.Duration;

/**
 * {@link IdempotencyStore} in Redis: a key is acquired with {@code SET key P:<owner> NX PX lease},
 * marked done with {@code SET key D PX ttl}, and released by a script that deletes it only while
 * this store instance still holds its lease. Atomic per key across every process sharing the Redis
 * database; expiry is Redis's own. Needs {@code io.lettuce:lettuce-core} on the classpath.
 * Thread-safe (one shared Lettuce connection).
 *
 * <pre>{@code
 * try (RedisIdempotencyStore store = RedisIdempotencyStore.connect("redis://127.0.0.1:6379/0")) {
 *   client.subscribe("prizes", "delivery", Idempotent.wrap(handler, store));
 * }
 * }</pre>
 */
public final class RedisIdempotencyStore implements IdempotencyStore, AutoCloseable {
  public static final String DEFAULT_KEY_PREFIX = "unimq:idem:";
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
  private static final String RELEASE_SCRIPT =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";
  private static final String DONE = "D";
  private static final String REMAINING_SCRIPT =
      "local v = redis.call('GET', KEYS[1]) if v and string.sub(v, 1, 2) == 'P:' then return redis.call('PTTL', KEYS[1]) end return 0";

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisCommands<String, String> redis;
  private final String prefix;
  private final String processing = "P:" + IdempotencyKeys.newOwner();

  private RedisIdempotencyStore(RedisClient client, StatefulRedisConnection<String, String> connection, String prefix) {
    this.client = client;
    this.connection = connection;
    this.redis = connection.sync();
    this.prefix = Args.required("keyPrefix", prefix, "pass a prefix such as " + DEFAULT_KEY_PREFIX);
  }

  /** Connects to {@code redisUri} (for example {@code redis://host:6379/0}) with keys under {@link #DEFAULT_KEY_PREFIX}. */
  public static RedisIdempotencyStore connect(String redisUri) {
    return connect(redisUri, DEFAULT_KEY_PREFIX);
  }

  /**
   * Connects to {@code redisUri}; the store owns the connection and closes it.
   *
   * @throws MqConnectionException Redis cannot be reached (within about 5 s)
   */
  public static RedisIdempotencyStore connect(String redisUri, String keyPrefix) {
    RedisURI uri;
    try {
      uri = RedisURI.create(Args.required("redisUri", redisUri, "pass a URI such as redis://host:6379/0"));
    } catch (IllegalArgumentException e) {
      throw new MqConfigurationException("bad Redis URI '" + redisUri + "': " + e.getMessage());
    }
    uri.setTimeout(COMMAND_TIMEOUT);
    RedisClient client = RedisClient.create(uri);
    try {
      return new RedisIdempotencyStore(client, client.connect(), keyPrefix);
    } catch (RedisException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      throw new MqConnectionException("cannot connect to Redis at " + uri.getHost() + ":" + uri.getPort() + ": " + e.getMessage(), e);
    }
  }

  /** Uses the caller's connection, which the caller keeps and closes. */
  public static RedisIdempotencyStore using(StatefulRedisConnection<String, String> connection, String keyPrefix) {
    return new RedisIdempotencyStore(null, Args.required("connection", connection, "pass an open Lettuce StatefulRedisConnection<String, String>"), keyPrefix);
  }

  @Override
  public Acquire tryAcquire(String key, Duration lease) {
    String k = redisKey(key);
    try {
      for (int i = 0; i < 5; i++) {
        if ("OK".equals(redis.set(k, processing, SetArgs.Builder.nx().px(Math.max(1, lease.toMillis()))))) {
          return Acquire.ACQUIRED;
        }
        String value = redis.get(k);
        if (value != null) {
          return DONE.equals(value) ? Acquire.DONE : Acquire.IN_PROGRESS;
        }
        // expired between SET and GET: try again
      }
      return Acquire.IN_PROGRESS;
    } catch (RedisException e) {
      throw failure("acquire", key, e);
    }
  }

  /** The key's PTTL while it is processing (by any owner), otherwise zero. */
  @Override
  public Duration leaseRemaining(String key) {
    try {
      Long ms = redis.eval(REMAINING_SCRIPT, ScriptOutputType.INTEGER, new String[] {redisKey(key)});
      return Duration.ofMillis(Math.max(0, ms == null ? 0 : ms));
    } catch (RedisException e) {
      throw failure("read the lease of", key, e);
    }
  }

  @Override
  public void markDone(String key, Duration ttl) {
    try {
      redis.set(redisKey(key), DONE, SetArgs.Builder.px(Math.max(1, ttl.toMillis())));
    } catch (RedisException e) {
      throw failure("mark done", key, e);
    }
  }

  @Override
  public void release(String key) {
    try {
      redis.eval(RELEASE_SCRIPT, ScriptOutputType.INTEGER, new String[] {redisKey(key)}, processing);
    } catch (RedisException e) {
      throw failure("release", key, e);
    }
  }

  /** Closes the connection if this store opened it. */
  @Override
  public void close() {
    if (client != null) {
      connection.close();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private String redisKey(String key) {
    return prefix + IdempotencyKeys.storageKey(key);
  }

  private static MqConnectionException failure(String what, String key, RedisException e) {
    return new MqConnectionException("idempotency store: cannot " + what + " key " + key + " in Redis: " + e.getMessage(), e);
  }
}
