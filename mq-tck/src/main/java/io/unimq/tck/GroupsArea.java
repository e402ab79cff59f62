package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.unimq.tck.Recorder.Received;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@code Groups} area's rules: one group shares the work, each group gets every message. Run
 * as {@link MqCompatibilityKit.Groups}.
 */
abstract class GroupsArea extends KitArea {
  GroupsArea(MqCompatibilityKit kit) {
    super(kit);
  }

  final String topic = name("grp");

  /** Publishes a few messages at a time until every member of the group has had one. */
  void untilEveryMemberWorks(Recorder r, int members) {
    long deadline = System.nanoTime() + scaled(BULK).toNanos();
    int sent = 0;
    for (int round = 0; r.byConsumer().size() < members; round++) {
      if (System.nanoTime() > deadline) {
        fail("only %s of %d group members received messages within %s", r.byConsumer().keySet(), members, scaled(BULK));
      }
      sent += publish(client(), topic, members, "warm-up-" + round).size();
      r.awaitCount(sent, DELIVERY);
    }
  }

  @Test
  @DisplayName("[GRP-1] required: members of one group share the work: each message handled exactly once, by more than one member")
  void membersOfOneGroupShareTheWorkEachMessageOnce() {
    String group = name("grp-g");
    Recorder r = recorder();
    for (int i = 1; i <= 3; i++) {
      newClient().subscribe(topic, group, options(), r.handler("member-" + i, d -> work(Duration.ofMillis(1))));
    }
    untilEveryMemberWorks(r, 3);
    List<String> ids = publish(client(), topic, 1000, "work");
    r.awaitIds(ids, BULK);
    r.assertNoMoreFor(Duration.ofMillis(500));
    List<Received> work = tagged(r, "work");
    assertThat(r.duplicates()).as("messages handled more than once").isEmpty();
    assertThat(work).extracting(Received::id).containsExactlyInAnyOrderElementsOf(ids);
    Map<String, Long> perMember = work.stream().collect(Collectors.groupingBy(Received::consumer, Collectors.counting()));
    assertThat(perMember).as("messages per member").hasSizeGreaterThan(1);
  }

  @Test
  @DisplayName("[GRP-2] required: every group receives every message (fanout)")
  void everyGroupReceivesEveryMessage() {
    List<Recorder> groups = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Recorder r = recorder();
      groups.add(r);
      newClient().subscribe(topic, name("grp-fan" + i), options(), r.handler("group-" + i));
    }
    List<String> ids = publish(client(), topic, 1000, "fanout");
    for (Recorder r : groups) {
      r.awaitIds(ids, BULK);
    }
    groups.get(0).assertNoMoreFor(Duration.ofMillis(500));
    for (int i = 0; i < groups.size(); i++) {
      Recorder r = groups.get(i);
      assertThat(r.duplicates()).as("group %d: messages delivered more than once", i + 1).isEmpty();
      assertThat(r.ids()).as("group %d", i + 1).containsExactlyInAnyOrderElementsOf(ids);
    }
  }

  @Test
  @DisplayName("[GRP-3] required: a declared group keeps messages while no consumer is online")
  void aDeclaredGroupKeepsMessagesWhileNoConsumerIsOnline() {
    String group = name("grp-decl");
    client().admin().declareGroup(topic, group);
    List<String> ids = publish(client(), topic, 20, "kept");
    Recorder r = recorder();
    newClient().subscribe(topic, group, options(), r.handler("late"));
    r.awaitIds(ids, DELIVERY);
    r.assertNoMoreFor(Duration.ofMillis(300));
    assertThat(r.ids()).containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  @DisplayName("[GRP-4] required: a group declared after publishing never sees the messages published before")
  void aGroupDeclaredAfterPublishingNeverSeesOlderMessages() {
    String early = name("grp-early");
    String late = name("grp-late");
    client().admin().declareGroup(topic, early);
    List<String> before = publish(client(), topic, 10, "before");
    client().admin().declareGroup(topic, late);
    List<String> after = publish(client(), topic, 10, "after");
    Recorder control = recorder();
    Recorder r = recorder();
    newClient().subscribe(topic, early, options(), control.handler("early"));
    newClient().subscribe(topic, late, options(), r.handler("late"));
    List<String> all = new ArrayList<>(before);
    all.addAll(after);
    control.awaitIds(all, DELIVERY);
    r.awaitIds(after, DELIVERY);
    r.assertNoMoreFor(QUIET);
    assertThat(r.ids()).as("messages seen by the group declared after the first 10")
        .containsExactlyInAnyOrderElementsOf(after);
  }

  @Test
  @DisplayName("[GRP-5] required: a group's first subscription declares it: messages published while it is closed are kept")
  void aFirstSubscriptionDeclaresTheGroup() {
    String group = name("grp-sub");
    Recorder first = recorder();
    client().subscribe(topic, group, options(), first.handler("first")).close();
    List<String> ids = publish(client(), topic, 10, "while-away");
    Recorder second = recorder();
    newClient().subscribe(topic, group, options(), second.handler("second"));
    second.awaitIds(ids, DELIVERY);
    assertThat(first.count()).isZero();
  }
}
