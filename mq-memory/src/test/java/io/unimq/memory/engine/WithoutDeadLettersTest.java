package io.unimq.memory.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.Capability;
import io.unimq.api.Message;
import io.unimq.api.MqClient;
import io.unimq.api.MqUnsupportedException;
import io.unimq.api.Mq;
import io.unimq.memory.MemoryProvider;
import io.unimq.memory.broken.ForwardingTransport;
import io.unimq.spi.DeadLetterStore;
import io.unimq.spi.MqConfig;
import io.unimq.spi.MqProvider;
import io.unimq.spi.Transport;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An adapter without dead letters (no {@code deadLetterStore()}, no {@code DEAD_LETTER}): the engine
 * never asks it to retry later or dead-letter; a failed delivery is released and the broker
 * redelivers it.
 */
class WithoutDeadLettersTest {
  /** memory:// without its dead letters, as {@code memory-nodlq://}. */
  public static final class Provider implements MqProvider {
    private final MemoryProvider memory = new MemoryProvider();

    @Override
    public String scheme() {
      return "memory-nodlq";
    }

    @Override
    public Set<Capability> capabilities() {
      Set<Capability> all = EnumSet.copyOf(memory.capabilities());
      all.remove(Capability.DEAD_LETTER);
      return all;
    }

    @Override
    public Set<String> parameters() {
      return memory.parameters();
    }

    @Override
    public Transport connect(MqConfig config) {
      return new ForwardingTransport(memory.connect(config)) {
        @Override
        public DeadLetterStore deadLetterStore() {
          return null;
        }
      };
    }
  }

  @Test
  void aFailedDeliveryIsReleasedAndRedeliveredAndDeadLettersAreRefused() throws Exception {
    String topic = "no-dlq-" + System.nanoTime();
    try (MqClient client = Mq.connect("memory-nodlq://" + topic)) {
      AtomicInteger deliveries = new AtomicInteger();
      CountDownLatch handled = new CountDownLatch(1);
      client.subscribe(topic, "g", d -> {
        if (deliveries.incrementAndGet() < 3) {
          throw new IllegalStateException("fails twice");
        }
        handled.countDown();
      });
      client.producer().send(Message.builder(topic).body("x").build());
      assertThat(handled.await(30, TimeUnit.SECONDS)).as("handled after two releases").isTrue();
      assertThat(deliveries.get()).isEqualTo(3);
      assertThat(client.supports(Capability.DEAD_LETTER)).isFalse();
      assertThatThrownBy(() -> client.deadLetters(topic, "g")).isInstanceOf(MqUnsupportedException.class);
    }
  }
}
