package io.unimq.spring.internal;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.unimq.api.Message;
import io.unimq.api.Producer;
import io.unimq.api.SendReceipt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** A producer that observes every send and writes the trace context into the message headers. Thread-safe. */
public final class ObservedProducer implements Producer {

  private final Producer delegate;
  private final ObservationRegistry registry;
  private final String scheme;

  public ObservedProducer(Producer delegate, ObservationRegistry registry, String scheme) {
    this.delegate = delegate;
    this.registry = registry;
    this.scheme = scheme;
  }

  @Override
  public CompletionStage<SendReceipt> sendAsync(Message message) {
    Message.Builder carrier = message.toBuilder();
    Observation observation = MqObservations.startSend(registry, scheme, carrier, message);
    CompletionStage<SendReceipt> stage;
    try {
      stage = delegate.sendAsync(carrier.build());
    } catch (RuntimeException | Error e) {
      observation.error(e);
      observation.stop();
      throw e;
    }
    return stage.whenComplete((receipt, error) -> {
      if (error != null) {
        observation.error(error);
      }
      observation.stop();
    });
  }

  @Override
  public SendReceipt send(Message message) {
    Message.Builder carrier = message.toBuilder();
    Observation observation = MqObservations.startSend(registry, scheme, carrier, message);
    try (Observation.Scope scope = observation.openScope()) {
      return delegate.send(carrier.build());
    } catch (RuntimeException | Error e) {
      observation.error(e);
      throw e;
    } finally {
      observation.stop();
    }
  }

  @Override
  public CompletionStage<List<SendReceipt>> sendBatchAsync(List<Message> messages) {
    List<Message> traced = new ArrayList<>(messages.size());
    List<Observation> observations = new ArrayList<>(messages.size());
    for (Message m : messages) {
      Message.Builder carrier = m.toBuilder();
      observations.add(MqObservations.startSend(registry, scheme, carrier, m));
      traced.add(carrier.build());
    }
    CompletionStage<List<SendReceipt>> stage;
    try {
      stage = delegate.sendBatchAsync(traced);
    } catch (RuntimeException | Error e) {
      observations.forEach(o -> o.error(e).stop());
      throw e;
    }
    return stage.whenComplete((receipts, error) -> observations.forEach(o -> {
      if (error != null) {
        o.error(error);
      }
      o.stop();
    }));
  }

  @Override
  public void close(Duration timeout) {
    delegate.close(timeout);
  }
}
