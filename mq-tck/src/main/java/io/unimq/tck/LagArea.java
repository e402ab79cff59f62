package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@code Lag} area's rules: what a group has not acked yet. Run as {@link
 * MqCompatibilityKit.Lag}.
 */
abstract class LagArea extends KitArea {
  LagArea(MqCompatibilityKit kit) {
    super(kit);
  }

  final String topic = name("lag");
  final String group = name("lag-g");

  @Test
  @DisplayName("[LAG-1] required: 50 messages published to a declared group with no consumer make a lag of 50")
  void publishedMessagesCountAsLag() {
    client().admin().declareGroup(topic, group);
    publish(client(), topic, 50, "lag");
    awaitLag(client(), topic, group, 50, DELIVERY);
  }

  @Test
  @DisplayName("[LAG-2] required: consuming the messages brings the lag to 0")
  void consumingBringsTheLagToZero() {
    client().admin().declareGroup(topic, group);
    List<String> ids = publish(client(), topic, 50, "lag");
    awaitLag(client(), topic, group, 50, DELIVERY);
    Recorder r = recorder();
    newClient().subscribe(topic, group, options(), r.handler("c"));
    r.awaitIds(ids, DELIVERY);
    awaitLag(client(), topic, group, 0, DELIVERY);
  }

  @Test
  @DisplayName("[LAG-3] required: lag is counted per group")
  void lagIsCountedPerGroup() {
    String busy = name("lag-busy");
    client().admin().declareGroup(topic, group);
    client().admin().declareGroup(topic, busy);
    List<String> ids = publish(client(), topic, 20, "lag");
    Recorder r = recorder();
    newClient().subscribe(topic, busy, options(), r.handler("busy"));
    r.awaitIds(ids, DELIVERY);
    awaitLag(client(), topic, busy, 0, DELIVERY);
    awaitLag(client(), topic, group, 20, DELIVERY);
  }

  @Test
  @DisplayName("[LAG-4] required: a group declared after publishing has no lag")
  void aGroupDeclaredAfterPublishingHasNoLag() {
    client().admin().declareGroup(topic, name("lag-first"));
    publish(client(), topic, 10, "lag");
    client().admin().declareGroup(topic, group);
    awaitLag(client(), topic, group, 0, DELIVERY);
    t().holdsFor("lag stays 0", Duration.ofMillis(300),
        () -> assertThat(client().admin().lag(topic, group)).as("lag of the new group").isZero());
  }
}
