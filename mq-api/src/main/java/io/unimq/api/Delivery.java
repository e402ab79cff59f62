package io.unimq.api;

import java.util.Map;

/**
 * One delivery of a message to a handler. Valid only while the handler runs (and, in
 * {@link AckMode#MANUAL}, until acked). Thread-safe.
 */
public interface Delivery {
  Message message();

  /** 1 on the first delivery, then 2, 3… on retries by policy. */
  int attempt();

  String group();

  /** Acknowledges now. Only meaningful in {@link AckMode#MANUAL}; a no-op if already acked. */
  void ack();

  default String id() {
    return message().id();
  }

  default String topic() {
    return message().topic();
  }

  default String key() {
    return message().key();
  }

  default byte[] body() {
    return message().body();
  }

  default String bodyAsString() {
    return message().bodyAsString();
  }

  default Map<String, String> headers() {
    return message().headers();
  }

  default String header(String name) {
    return message().header(name);
  }
}
