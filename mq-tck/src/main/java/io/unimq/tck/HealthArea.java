package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.Health;
import io.unimq.api.MqClient;
import io.unimq.api.Subscription;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@code Health} area's rules: {@link MqClient#health()} tells whether the client is connected
 * and what each subscription does. Run as {@link MqCompatibilityKit.Health}.
 */
abstract class HealthArea extends KitArea {
  HealthArea(MqCompatibilityKit kit) {
    super(kit);
  }

  final String topic = name("health");

  @Test
  @DisplayName("[HEALTH-1] required: a connected client with one running and one paused subscription reports itself connected, with no error and each subscription's topic, group and state, in an immutable snapshot")
  void healthOfAConnectedClient() {
    String running = name("health-run");
    String paused = name("health-paused");
    MqClient c = newClient();
    Recorder r = recorder();
    c.subscribe(topic, running, options(), r.handler("running"));
    Subscription p = c.subscribe(topic, paused, options(), r.handler("paused"));
    List<String> ids = publish(c, topic, 2, "health");
    r.awaitCount(4, DELIVERY);
    p.pause();
    Health h = c.health();
    assertThat(h.scheme()).isEqualTo(c.scheme());
    assertThat(h.connected()).as("connected").isTrue();
    assertThat(h.lastError()).as("last error").isNull();
    assertThat(h.subscriptions()).extracting(Health.SubscriptionHealth::topic, Health.SubscriptionHealth::group,
            Health.SubscriptionHealth::state)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(topic, running, Subscription.State.RUNNING),
            org.assertj.core.groups.Tuple.tuple(topic, paused, Subscription.State.PAUSED));
    assertThat(h.subscriptions()).allSatisfy(s -> assertThat(s.inFlight()).isBetween(0, options().prefetch()));
    assertThatThrownBy(() -> h.subscriptions().clear()).as("the snapshot is immutable")
        .isInstanceOf(UnsupportedOperationException.class);
    p.resume();
    assertThat(h.subscriptions()).as("a snapshot does not change").extracting(Health.SubscriptionHealth::state)
        .contains(Subscription.State.PAUSED);
    assertThat(c.health().subscriptions()).extracting(Health.SubscriptionHealth::state)
        .containsOnly(Subscription.State.RUNNING);
    assertThat(ids).hasSize(2);
  }

  @Test
  @DisplayName("[HEALTH-2] required: a closed subscription leaves the health snapshot; a closed client reports itself disconnected")
  void closedSubscriptionsAndClients() {
    MqClient c = newClient();
    Subscription s = c.subscribe(topic, name("health-g"), options(), recorder().handler("a"));
    assertThat(c.health().subscriptions()).hasSize(1);
    s.close(Duration.ofSeconds(5));
    assertThat(c.health().subscriptions()).as("after the subscription closed").isEmpty();
    c.subscribe(topic, name("health-g2"), options(), recorder().handler("b"));
    c.close(Duration.ofSeconds(5));
    Health h = c.health();
    assertThat(h.connected()).as("connected after close").isFalse();
    assertThat(h.subscriptions()).as("subscriptions after close").isEmpty();
  }
}
