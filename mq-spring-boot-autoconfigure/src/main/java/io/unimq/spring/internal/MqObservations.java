package io.unimq.spring.internal;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import io.unimq.api.Delivery;
import io.unimq.api.Message;

/**
 * Observations of sends ({@code unimq.producer}, kind PRODUCER) and listener calls
 * ({@code unimq.consumer}, kind CONSUMER). The trace context travels in message headers (W3C
 * {@code traceparent} with Boot's default propagation), injected into the sent message and read from
 * the delivered one by the tracing bridge's handlers.
 */
public final class MqObservations {

  public static final String PRODUCER = "unimq.producer";
  public static final String CONSUMER = "unimq.consumer";

  private MqObservations() {}

  /** A started producer observation whose trace context is written into {@code carrier}'s headers. */
  public static Observation startSend(ObservationRegistry registry, String scheme, Message.Builder carrier, Message message) {
    SenderContext<Message.Builder> context = new SenderContext<>((b, key, value) -> b.header(key, value));
    context.setCarrier(carrier);
    context.setRemoteServiceName(scheme);
    return Observation.createNotStarted(PRODUCER, () -> context, registry)
        .contextualName(message.topic() + " send")
        .lowCardinalityKeyValue("messaging.system", scheme)
        .lowCardinalityKeyValue("messaging.destination.name", message.topic())
        .highCardinalityKeyValue("messaging.message.id", message.id())
        .start();
  }

  /** A consumer observation (not started) whose parent is read from the delivered message's headers. */
  public static Observation process(ObservationRegistry registry, String scheme, String listenerId, Delivery delivery) {
    ReceiverContext<Message> context = new ReceiverContext<>((m, key) -> m.header(key));
    context.setCarrier(delivery.message());
    context.setRemoteServiceName(scheme);
    return Observation.createNotStarted(CONSUMER, () -> context, registry)
        .contextualName(delivery.topic() + " process")
        .lowCardinalityKeyValue("messaging.system", scheme)
        .lowCardinalityKeyValue("messaging.destination.name", delivery.topic())
        .lowCardinalityKeyValue("messaging.consumer.group.name", delivery.group())
        .lowCardinalityKeyValue("unimq.listener", listenerId)
        .highCardinalityKeyValue("messaging.message.id", delivery.id())
        .highCardinalityKeyValue("unimq.attempt", Integer.toString(delivery.attempt()));
  }
}
