package io.unimq.spring;

import io.unimq.api.Message;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.Producer;
import io.unimq.api.SendReceipt;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Sends objects: the payload is written by the first {@link MqPayloadConverter} that takes it and
 * the message carries its {@value #CONTENT_TYPE} header, so that an {@link MqListener} method
 * receives the object back. Thread-safe.
 *
 * <pre>{@code
 * template.send("orders", order.id(), order);   // JSON, content-type application/json
 * }</pre>
 */
public class MqTemplate {

  /** The header naming the body's format, for example {@code application/json}. */
  public static final String CONTENT_TYPE = "content-type";

  private final Producer producer;
  private final List<MqPayloadConverter> converters;

  public MqTemplate(Producer producer, List<MqPayloadConverter> converters) {
    this.producer = producer;
    this.converters = List.copyOf(converters);
  }

  /** The producer this template sends through. */
  public Producer producer() {
    return producer;
  }

  /** Sends {@code payload} to {@code topic} without a key and waits for the broker's confirmation. */
  public SendReceipt send(String topic, Object payload) {
    return producer.send(message(topic, null, payload).build());
  }

  /** Sends {@code payload} to {@code topic} with ordering key {@code key} and waits for the broker's confirmation. */
  public SendReceipt send(String topic, String key, Object payload) {
    return producer.send(message(topic, key, payload).build());
  }

  public CompletionStage<SendReceipt> sendAsync(String topic, String key, Object payload) {
    return producer.sendAsync(message(topic, key, payload).build());
  }

  /** Sends a message built elsewhere, for example with {@link #message}. */
  public SendReceipt send(Message message) {
    return producer.send(message);
  }

  /**
   * A message builder with {@code payload} written as the body and its content-type header set;
   * add headers or a delay before building.
   *
   * @throws MqConfigurationException no converter writes the payload's type
   */
  public Message.Builder message(String topic, String key, Object payload) {
    return message(converters, topic, key, payload);
  }

  static Message.Builder message(List<MqPayloadConverter> converters, String topic, String key, Object payload) {
    Message.Builder b = Message.builder(topic).key(key);
    if (payload == null) {
      return b;
    }
    for (MqPayloadConverter c : converters) {
      if (c.canWrite(payload)) {
        return b.body(c.write(payload)).header(CONTENT_TYPE, c.contentType(payload));
      }
    }
    throw new MqConfigurationException("no MqPayloadConverter writes a " + payload.getClass().getName()
        + ": add tools.jackson.core:jackson-databind for JSON, or declare an MqPayloadConverter bean for this type");
  }
}
