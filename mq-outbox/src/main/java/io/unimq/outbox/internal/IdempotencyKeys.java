package io.unimq.outbox.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Key and owner helpers shared by the idempotency stores. Stateless.
 *
 * <p>Internal and unstable: public only for {@link io.unimq.outbox.JdbcIdempotencyStore} and {@link io.unimq.outbox.RedisIdempotencyStore}; not part of unimq's API and may change
 * in any release.
 */
public final class IdempotencyKeys {
  /** Keys longer than this are stored as {@code sha256:<hex>}. */
  public static final int MAX_PLAIN_LENGTH = 200;

  private IdempotencyKeys() {}

  /** A random id for one store instance: only it can release a lease it holds. */
  public static String newOwner() {
    return UUID.randomUUID().toString();
  }

  public static String storageKey(String key) {
    if (key == null) {
      throw new IllegalArgumentException("idempotency key is null");
    }
    if (key.length() <= MAX_PLAIN_LENGTH) {
      return key;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
