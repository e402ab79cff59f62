package io.unimq.spring.internal;

import io.unimq.api.MqInvalidMessageException;
import io.unimq.spring.MqPayloadConverter;
import java.lang.reflect.Type;
import java.util.Locale;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/** JSON by Jackson; a class of its own so that the other converters load without Jackson. */
public final class JsonConverter {

  private JsonConverter() {}

  /** Any object as application/json, by Jackson; reads bodies marked JSON or not marked at all. */
  public static MqPayloadConverter json(JsonMapper mapper) {
    return new MqPayloadConverter() {
      @Override
      public boolean canWrite(Object payload) {
        return true;
      }

      @Override
      public String contentType(Object payload) {
        return "application/json";
      }

      @Override
      public byte[] write(Object payload) {
        return mapper.writeValueAsBytes(payload);
      }

      @Override
      public boolean canRead(String contentType, Class<?> type) {
        return contentType == null || contentType.toLowerCase(Locale.ROOT).contains("json");
      }

      @Override
      public Object read(byte[] body, Type type) {
        JavaType javaType = mapper.constructType(type);
        try {
          return mapper.readValue(body, javaType);
        } catch (RuntimeException e) {
          throw new MqInvalidMessageException("cannot read the JSON body as " + javaType + ": " + e.getMessage());
        }
      }
    };
  }
}
