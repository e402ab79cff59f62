package io.unimq.api.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.Capability;
import io.unimq.api.MqClient;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.SubscriptionOptions;
import io.unimq.spi.MqConfig;
import io.unimq.spi.MqProvider;
import io.unimq.spi.Transport;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The engine's own argument checks: configuration errors, before any transport is touched. */
class EngineClientArgumentsTest {
  private final AtomicInteger connects = new AtomicInteger();

  /** A provider whose transport answers every call with nothing (null, false, 0). */
  private MqProvider provider() {
    return new MqProvider() {
      @Override
      public String scheme() {
        return "stub";
      }

      @Override
      public Set<Capability> capabilities() {
        return Set.of();
      }

      @Override
      public Transport connect(MqConfig config) {
        connects.incrementAndGet();
        return (Transport) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Transport.class},
            (proxy, method, args) -> {
              Class<?> r = method.getReturnType();
              if (r == boolean.class) {
                return false;
              }
              if (r == int.class) {
                return Integer.MAX_VALUE;
              }
              if (r == long.class) {
                return 0L;
              }
              return null;
            });
      }
    };
  }

  @Test
  void nullOptionsOrHandlerAreConfigurationErrors() {
    try (MqClient c = EngineClient.open(provider(), MqConfig.parse("stub://h"), null)) {
      assertThatThrownBy(() -> c.subscribe("orders", "billing", null, d -> {}))
          .isInstanceOf(MqConfigurationException.class).hasMessageContaining("SubscriptionOptions.DEFAULT");
      assertThatThrownBy(() -> c.subscribe("orders", "billing", SubscriptionOptions.DEFAULT, null))
          .isInstanceOf(MqConfigurationException.class).hasMessageContaining("handler is null");
      assertThatThrownBy(() -> c.subscribe("orders", "billing", null))
          .isInstanceOf(MqConfigurationException.class).hasMessageContaining("handler is null");
    }
  }

  @Test
  void negativeCoreDurationsAreRejectedBeforeConnecting() {
    assertThatThrownBy(() -> EngineClient.open(provider(), MqConfig.parse("stub://h?sendTimeout=-5s"), null))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("'sendTimeout'");
    assertThatThrownBy(() -> EngineClient.open(provider(), MqConfig.parse("stub://h?txCheckInterval=-1s"), null))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("'txCheckInterval'");
    org.assertj.core.api.Assertions.assertThat(connects).hasValue(0);
  }
}
