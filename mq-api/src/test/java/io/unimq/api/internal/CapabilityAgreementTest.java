package io.unimq.api.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.Capability;
import io.unimq.api.Message;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.SendReceipt;
import io.unimq.spi.ConsumerSpec;
import io.unimq.spi.DeadLetterStore;
import io.unimq.spi.HalfMessageStore;
import io.unimq.spi.MqConfig;
import io.unimq.spi.MqProvider;
import io.unimq.spi.Transport;
import io.unimq.spi.TransportConsumer;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CapabilityAgreementTest {
  @Test
  void aDeclaredCapabilityWithoutItsPieceOrAPieceNotDeclaredIsRefused() {
    DeadLetterStore store = (DeadLetterStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {DeadLetterStore.class}, (p, m, a) -> null);
    HalfMessageStore halves = (HalfMessageStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {HalfMessageStore.class}, (p, m, a) -> null);
    assertThatThrownBy(() -> EngineClient.checkCapabilities(provider(EnumSet.of(Capability.DEAD_LETTER)), transport(null, null)))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("declares DEAD_LETTER but its transport offers no deadLetterStore()");
    assertThatThrownBy(() -> EngineClient.checkCapabilities(provider(EnumSet.noneOf(Capability.class)), transport(store, null)))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("does not declare DEAD_LETTER");
    assertThatThrownBy(() -> EngineClient.checkCapabilities(provider(EnumSet.of(Capability.TRANSACTIONS)), transport(null, null)))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("TRANSACTIONS");
    assertThatCode(() -> EngineClient.checkCapabilities(provider(EnumSet.of(Capability.DEAD_LETTER, Capability.TRANSACTIONS)),
        transport(store, halves))).doesNotThrowAnyException();
  }

  private static MqProvider provider(Set<Capability> capabilities) {
    return new MqProvider() {
      @Override
      public String scheme() {
        return "test";
      }

      @Override
      public Set<Capability> capabilities() {
        return capabilities;
      }

      @Override
      public Transport connect(MqConfig config) {
        throw new UnsupportedOperationException();
      }
    };
  }

  private static Transport transport(DeadLetterStore deadLetters, HalfMessageStore halves) {
    return new Transport() {
      @Override
      public int maxMessageSize() {
        return 1024;
      }

      @Override
      public CompletableFuture<SendReceipt> publish(Message message) {
        return CompletableFuture.completedFuture(SendReceipt.of(message, message.topic(), null));
      }

      @Override
      public void declareTopic(String topic) {}

      @Override
      public void declareGroup(String topic, String group, boolean ordered) {}

      @Override
      public TransportConsumer openConsumer(ConsumerSpec spec) {
        throw new UnsupportedOperationException();
      }

      @Override
      public long lag(String topic, String group) {
        return 0;
      }

      @Override
      public DeadLetterStore deadLetterStore() {
        return deadLetters;
      }

      @Override
      public HalfMessageStore halfMessageStore() {
        return halves;
      }

      @Override
      public void close() {}
    };
  }
}
