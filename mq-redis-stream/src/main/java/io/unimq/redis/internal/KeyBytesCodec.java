package io.unimq.redis.internal;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.codec.ToByteBufEncoder;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * The adapter's codec: keys (and field names) as UTF-8 strings, values as bytes. Unlike a codec
 * composed with {@code RedisCodec.of}, it writes arguments straight into the connection's buffer,
 * with no intermediate buffer per key and value. Stateless, thread-safe.
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

  @Override
  public int estimateSize(Object keyOrValue) {
    return keyOrValue instanceof byte[] b ? b.length : StringCodec.UTF8.estimateSize(keyOrValue);
  }
}
