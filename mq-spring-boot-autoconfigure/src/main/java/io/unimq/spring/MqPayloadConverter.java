package io.unimq.spring;

import java.lang.reflect.Type;

/**
 * Turns payloads into message bodies with a content type, and bodies back into the parameter type of
 * an {@link MqListener} method. Declare one as a bean to add a format; beans are asked in their
 * {@link org.springframework.core.annotation.Order order}, before the built-in ones (text,
 * bytes, then JSON by Jackson). Implementations must be thread-safe.
 */
public interface MqPayloadConverter {

  /** Whether this converter writes {@code payload}. */
  boolean canWrite(Object payload);

  /** The content type of the bodies it writes, for example {@code application/json}. */
  String contentType(Object payload);

  byte[] write(Object payload);

  /**
   * Whether this converter reads a body of {@code contentType} (null when the message has no
   * content-type header) into {@code type}.
   */
  boolean canRead(String contentType, Class<?> type);

  /** Reads {@code body} into {@code type} (the generic parameter type of the listener method). */
  Object read(byte[] body, Type type);
}
