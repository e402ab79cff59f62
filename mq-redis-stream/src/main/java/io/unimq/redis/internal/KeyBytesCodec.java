package io.unimq.redis.internal;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.codec.ToByteBufEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;

/**
 * The adapter's codec: keys (and field names) as UTF-8 strings, values as bytes. Unlike a codec
 * composed with {@code RedisCodec.of}, it writes arguments straight into the connection's buffer,
 * with no intermediate buffer per key and value (it knows each one's exact size). Stateless, thread-safe.
 */
final class KeyBytesCodec implements RedisCodec<String, byte[]>, ToByteBufEncoder<String, byte[]> {
  static final KeyBytesCodec INSTANCE = new KeyBytesCodec();

  private KeyBytesCodec() {}

  @Override
  public String decodeKey(ByteBuffer bytes) {
    return StringCodec.UTF8.decodeKey(bytes);
  }

  @Override
  public byte[] decodeValue(ByteBuffer bytes) {
    return ByteArrayCodec.INSTANCE.decodeValue(bytes);
  }

  @Override
  public ByteBuffer encodeKey(String key) {
    return StringCodec.UTF8.encodeKey(key);
  }

  @Override
  public ByteBuffer encodeValue(byte[] value) {
    return ByteArrayCodec.INSTANCE.encodeValue(value);
  }

  @Override
  public void encodeKey(String key, ByteBuf target) {
    StringCodec.UTF8.encodeKey(key, target);
  }

  @Override
  public void encodeValue(byte[] value, ByteBuf target) {
    if (value != null) {
      target.writeBytes(value);
    }
  }

  /** The exact size in bytes, so that lettuce writes each argument in place (no scratch buffer and copy). */
  @Override
  public int estimateSize(Object keyOrValue) {
    if (keyOrValue == null) {
      return 0;
    }
    return keyOrValue instanceof byte[] b ? b.length : ByteBufUtil.utf8Bytes((CharSequence) keyOrValue);
  }

  @Override
  public boolean isEstimateExact() {
    return true;
  }
}
