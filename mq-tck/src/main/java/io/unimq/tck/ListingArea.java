package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.Capability;
import io.unimq.api.GroupInfo;
import io.unimq.api.Message;
import io.unimq.api.MqClient;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.Subscription;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@code Listing} area's rules: topics and groups as the broker lists them, and deleting a
 * group. Run as {@link MqCompatibilityKit.Listing}.
 */
abstract class ListingArea extends KitArea {
  ListingArea(MqCompatibilityKit kit) {
    super(kit);
  }

  final String topic = name("list");
  final String group = name("list-g");

  private Optional<GroupInfo> listed(MqClient c, String g) {
    return c.admin().groups(topic).stream().filter(i -> i.name().equals(g)).findFirst();
  }

  @Test
  @DisplayName("[LIST-1] optional (LISTING): declared topics and topics sent to are listed, sorted")
  void topicsAreListed() {
    requires(Capability.LISTING);
    String sentTo = name("list-sent");
    client().admin().declareTopic(topic);
    send(client(), Message.builder(sentTo).body("x").build());
    t().await("topics listed", DELIVERY).untilAsserted(() ->
        assertThat(client().admin().topics()).contains(topic, sentTo).isSorted());
  }

  @Test
  @DisplayName("[LIST-2] optional (LISTING): each declared group of a topic is listed with its lag; an unknown topic has none")
  void groupsAreListedWithTheirLag() {
    requires(Capability.LISTING);
    String other = name("list-other");
    client().admin().declareGroup(topic, group);
    client().admin().declareGroup(topic, other);
    publish(client(), topic, 5, "list");
    t().await("groups listed with lag", DELIVERY).untilAsserted(() -> {
      List<GroupInfo> groups = client().admin().groups(topic);
      assertThat(groups).extracting(GroupInfo::name).contains(group, other);
      assertThat(groups).filteredOn(g -> g.name().equals(group) || g.name().equals(other))
          .extracting(GroupInfo::lag).containsOnly(5L);
    });
    assertThat(client().admin().groups(name("list-none"))).isEmpty();
  }

  @Test
  @DisplayName("[LIST-3] optional (LISTING): a group with a running subscription has members (or says it cannot tell)")
  void aSubscribedGroupHasMembers() {
    requires(Capability.LISTING);
    client().admin().declareGroup(topic, group);
    Recorder r = recorder();
    try (Subscription s = newClient().subscribe(topic, group, options(), r.handler("c"))) {
      List<String> ids = publish(client(), topic, 3, "list");
      r.awaitIds(ids, DELIVERY);
      t().await("members of " + group, DELIVERY).untilAsserted(() -> assertThat(listed(client(), group))
          .get().extracting(GroupInfo::members).matches(m -> m >= 1 || m == GroupInfo.UNKNOWN, ">= 1 or UNKNOWN"));
    }
  }

  @Test
  @DisplayName("[LIST-4] optional (LISTING): a deleted group is no longer listed, keeps nothing, and comes back empty when declared again")
  void aDeletedGroupIsGone() {
    requires(Capability.LISTING);
    String kept = name("list-kept");
    client().admin().declareGroup(topic, group);
    client().admin().declareGroup(topic, kept);
    publish(client(), topic, 4, "list");
    awaitLag(client(), topic, group, 4, DELIVERY);
    client().admin().deleteGroup(topic, group);
    t().await("deleted group unlisted", DELIVERY).untilAsserted(() ->
        assertThat(client().admin().groups(topic)).extracting(GroupInfo::name).doesNotContain(group).contains(kept));
    publish(client(), topic, 2, "list");
    awaitLag(client(), topic, kept, 6, DELIVERY);
    client().admin().declareGroup(topic, group);
    awaitLag(client(), topic, group, 0, DELIVERY);
    client().admin().deleteGroup(topic, name("list-never")); // an unknown group is no error
  }

  @Test
  @DisplayName("[LIST-5] optional (LISTING): deleting a group this client subscribes to fails naming the fix")
  void deletingASubscribedGroupFails() {
    requires(Capability.LISTING);
    try (Subscription s = client().subscribe(topic, group, options(), d -> { })) {
      assertThatThrownBy(() -> client().admin().deleteGroup(topic, group))
          .isInstanceOf(MqConfigurationException.class).hasMessageContaining("close the subscription");
    }
  }
}
