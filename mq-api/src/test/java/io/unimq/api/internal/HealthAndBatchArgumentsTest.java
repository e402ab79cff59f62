package io.unimq.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.unimq.api.BatchHandler;
import io.unimq.api.Capability;
import io.unimq.api.Health;
import io.unimq.api.MqClient;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.MqConnectionException;
import io.unimq.api.Subscription;
import io.unimq.api.SubscriptionOptions;
import io.unimq.spi.InboundMessage;
import io.unimq.spi.MqConfig;
import io.unimq.spi.MqProvider;
import io.unimq.spi.Transport;
import io.unimq.spi.TransportConsumer;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Health snapshots after broker failures, and the argument checks of batch subscriptions. */
class HealthAndBatchArgumentsTest {
  private final AtomicBoolean failing = new AtomicBoolean(true);

  /** A transport whose consumer fails every poll while {@link #failing}, with credentials in the message. */
  private MqProvider provider() {
    TransportConsumer consumer = new TransportConsumer() {
      @Override
      public List<InboundMessage> poll(int max, Duration timeout) throws InterruptedException {
        if (failing.get()) {
          throw new MqConnectionException("cannot reach amqp://app:s3cret@broker:5672/", null);
        }
        Thread.sleep(20);
        return List.of();
      }

      @Override
      public void close() {}
    };
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
        return (Transport) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Transport.class},
            (proxy, method, args) -> {
              if (method.getName().equals("openConsumer")) {
                return consumer;
              }
              Class<?> r = method.getReturnType();
              return r == boolean.class ? (Object) false : r == int.class ? (Object) Integer.MAX_VALUE : r == long.class ? (Object) 0L : null;
            });
      }
    };
  }

  @Test
  void aFailingFetchMakesTheClientDisconnectedWithAMaskedLastErrorUntilAFetchSucceeds() {
    try (MqClient c = EngineClient.open(provider(), MqConfig.parse("stub://h"), null)) {
      Health fresh = c.health();
      assertThat(fresh.connected()).isTrue();
      assertThat(fresh.lastError()).isNull();
      Subscription s = c.subscribe("orders", "billing", SubscriptionOptions.DEFAULT, d -> {});
      await().atMost(Duration.ofSeconds(10)).until(() -> !c.health().connected());
      Health.LastError e = c.health().lastError();
      assertThat(e.type()).isEqualTo(MqConnectionException.class.getName());
      assertThat(e.message()).contains("amqp://***@broker:5672/").doesNotContain("s3cret").doesNotContain("app:");
      assertThat(e.at()).isNotNull();
      failing.set(false);
      await().atMost(Duration.ofSeconds(10)).until(() -> c.health().connected());
      assertThat(c.health().lastError()).as("the last error stays").isEqualTo(e);
      assertThat(c.health().subscriptions()).singleElement()
          .isEqualTo(new Health.SubscriptionHealth("orders", "billing", Subscription.State.RUNNING, 0));
      s.close();
    }
  }

  @Test
  void badBatchArgumentsAreConfigurationErrors() {
    assertThatThrownBy(() -> SubscriptionOptions.builder().batch(0, Duration.ofMillis(10)))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("maxSize").hasMessageContaining("was 0");
    assertThatThrownBy(() -> SubscriptionOptions.builder().batch(65536, Duration.ofMillis(10)))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("65535");
    assertThatThrownBy(() -> SubscriptionOptions.builder().batch(10, null))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("maxWait");
    assertThatThrownBy(() -> SubscriptionOptions.builder().batch(10, Duration.ZERO))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("positive");
    assertThatThrownBy(() -> SubscriptionOptions.builder().batch(10, Duration.ofHours(2)))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("1 hour");
    SubscriptionOptions o = SubscriptionOptions.builder().batch(500, Duration.ofSeconds(2)).build();
    assertThat(o.toBuilder().build().batchSize()).isEqualTo(500);
    assertThat(o.batchWait()).isEqualTo(Duration.ofSeconds(2));
    assertThat(SubscriptionOptions.DEFAULT.batchSize()).isEqualTo(SubscriptionOptions.DEFAULT_BATCH_SIZE);
    try (MqClient c = EngineClient.open(provider(), MqConfig.parse("stub://h"), null)) {
      assertThatThrownBy(() -> c.subscribeBatch("orders", "billing", SubscriptionOptions.DEFAULT, (BatchHandler) null))
          .isInstanceOf(MqConfigurationException.class).hasMessageContaining("batch handler is null");
      assertThatThrownBy(() -> c.subscribeBatch("orders", "billing", null, batch -> {}))
          .isInstanceOf(MqConfigurationException.class).hasMessageContaining("SubscriptionOptions.DEFAULT");
    }
  }
}
