package io.unimq.api;

import java.nio.charset.StandardCharsets;

/** Built-in codecs. JSON needs {@code com.fasterxml.jackson.core:jackson-databind} on the classpath. */
public final class Codecs {
  private static final Codec<byte[]> BYTES = new Codec<>() {
    @Override
    public byte[] encode(byte[] value) {
      return value;
    }

    @Override
    public byte[] decode(byte[] body) {
      return body;
    }
  };

  private static final Codec<String> UTF8 = new Codec<>() {
    @Override
    public byte[] encode(String value) {
      return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] body) {
      return new String(body, StandardCharsets.UTF_8);
    }
  };

  private Codecs() {}

  public static Codec<byte[]> bytes() {
    return BYTES;
  }

  public static Codec<String> utf8() {
    return UTF8;
  }

  /** A Jackson codec for {@code type}. */
  public static <T> Codec<T> json(Class<T> type) {
    try {
      Class.forName("com.fasterxml.jackson.databind.ObjectMapper");
    } catch (ClassNotFoundException e) {
      throw new MqConfigurationException("Codecs.json needs com.fasterxml.jackson.core:jackson-databind on the classpath", e);
    }
    return new JacksonCodec<>(type);
  }
}
