package io.unimq.spring.internal;

import io.unimq.api.MqInvalidMessageException;
import io.unimq.spring.MqPayloadConverter;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/** The built-in payload converters. */
public final class Converters {

  private Converters() {}

  /** Strings as UTF-8 text/plain. */
  public static MqPayloadConverter text() {
    return new MqPayloadConverter() {
      @Override
      public boolean canWrite(Object payload) {
        return payload instanceof CharSequence;
      }

      @Override
      public String contentType(Object payload) {
        return "text/plain;charset=UTF-8";
      }

      @Override
      public byte[] write(Object payload) {
        return payload.toString().getBytes(StandardCharsets.UTF_8);
      }

      @Override
      public boolean canRead(String contentType, Class<?> type) {
        return type == String.class;
      }

      @Override
      public Object read(byte[] body, Type type) {
        return body == null ? null : new String(body, StandardCharsets.UTF_8);
      }
    };
  }

  /** byte[] as application/octet-stream. */
  public static MqPayloadConverter bytes() {
    return new MqPayloadConverter() {
      @Override
      public boolean canWrite(Object payload) {
        return payload instanceof byte[];
      }

      @Override
      public String contentType(Object payload) {
        return "application/octet-stream";
      }

      @Override
      public byte[] write(Object payload) {
        return (byte[]) payload;
      }

      @Override
      public boolean canRead(String contentType, Class<?> type) {
        return type == byte[].class;
      }

      @Override
      public Object read(byte[] body, Type type) {
        return body;
      }
    };
  }
}
