package io.unimq.api;

/** Turns values into message bodies and back. Implementations must be thread-safe. */
public interface Codec<T> {
  byte[] encode(T value);

  T decode(byte[] body);
}
