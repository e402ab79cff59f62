package io.unimq.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.unimq.api.Codec;
import io.unimq.api.MqException;
import java.io.IOException;

/** JSON through Jackson; loaded only when Jackson is present. */
final class JacksonCodec<T> implements Codec<T> {
  private static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();
  private final Class<T> type;

  public JacksonCodec(Class<T> type) {
    this.type = type;
  }

  @Override
  public byte[] encode(T value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new MqException("cannot encode " + type.getName() + " as JSON: " + e.getMessage(), e);
    }
  }

  @Override
  public T decode(byte[] body) {
    try {
      return MAPPER.readValue(body, type);
    } catch (IOException e) {
      throw new MqException("cannot decode JSON as " + type.getName() + ": " + e.getMessage(), e);
    }
  }
}
