package io.unimq.redis.internal;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One Lua script, run with EVALSHA and, when the server does not know it (first use, or after a
 * restart or a failover: a promoted replica has an empty script cache), with EVAL. Every script's
 * keys are of one slot, and it is routed by its first key on a Redis Cluster. Immutable, thread-safe.
 */
final class Lua {
  private final String name;
  private final String source;
  private final String sha;

  Lua(String name, String source) {
    this.name = name;
    this.source = source;
    try {
      this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  <T> T run(RedisClusterCommands<String, byte[]> redis, ScriptOutputType type, List<String> keys, List<?> args) {
    String[] k = keys.toArray(new String[0]);
    byte[][] a = new byte[args.size()][];
    for (int i = 0; i < a.length; i++) {
      a[i] = bytes(args.get(i));
    }
    try {
      return redis.evalsha(sha, type, k, a);
    } catch (RedisNoScriptException e) {
      return redis.eval(source, type, k, a);
    }
  }

  /** The script sent whole (EVAL), pipelined: for a connection where a NOSCRIPT retry would come too late. */
  <T> RedisFuture<T> evalAsync(RedisClusterAsyncCommands<String, byte[]> redis, ScriptOutputType type, List<String> keys, List<?> args) {
    byte[][] a = new byte[args.size()][];
    for (int i = 0; i < a.length; i++) {
      a[i] = bytes(args.get(i));
    }
    return redis.eval(source, type, keys.toArray(new String[0]), a);
  }

  /** Pipelined variant of {@link #run}. */
  <T> CompletableFuture<T> runAsync(RedisClusterAsyncCommands<String, byte[]> redis, ScriptOutputType type, List<String> keys, List<?> args) {
    String[] k = keys.toArray(new String[0]);
    byte[][] a = new byte[args.size()][];
    for (int i = 0; i < a.length; i++) {
      a[i] = bytes(args.get(i));
    }
    CompletableFuture<T> first = redis.<T>evalsha(sha, type, k, a).toCompletableFuture();
    return first.exceptionallyCompose(e -> {
      Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (c instanceof RedisNoScriptException) {
        return redis.<T>eval(source, type, k, a).toCompletableFuture();
      }
      return CompletableFuture.failedFuture(c);
    });
  }

  static byte[] bytes(Object o) {
    if (o instanceof byte[] b) {
      return b;
    }
    return String.valueOf(o).getBytes(StandardCharsets.UTF_8);
  }

  static String string(Object o) {
    if (o == null) {
      return null;
    }
    return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
  }

  @Override
  public String toString() {
    return name;
  }
}
