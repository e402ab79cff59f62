package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.Message;
import io.unimq.api.MqClient;
import io.unimq.api.MqClosedException;
import io.unimq.api.Producer;
import io.unimq.api.Subscription;
import io.unimq.api.SubscriptionOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@code Lifecycle} area's rules: closing drains, hands unacked messages to another member and
 * refuses later use. Run as {@link MqCompatibilityKit.Lifecycle}.
 */
abstract class LifecycleArea extends KitArea {
  LifecycleArea(MqCompatibilityKit kit) {
    super(kit);
  }

  final String topic = name("life");
  final String group = name("life-g");

  SubscriptionOptions shortDrain() {
    return options().toBuilder().drainTimeout(Duration.ofMillis(200)).build();
  }

  void anotherMemberGetsEverythingAfter(java.util.function.Consumer<Subscription> leave, MqClient leaving) {
    CountDownLatch stuck = gate();
    Recorder a = recorder();
    Recorder b = recorder();
    Subscription sa = leaving.subscribe(topic, group, shortDrain(), a.handler("a", d -> pass(stuck)));
    List<String> ids = publish(client(), topic, 20, "unacked");
    a.awaitCount(1, DELIVERY);
    leave.accept(sa);
    newClient().subscribe(topic, group, options(), b.handler("b"));
    b.awaitIds(ids, redeliveryTimeout().plus(DELIVERY));
  }

  @Test
  @DisplayName("[LIFE-1] required: messages left unacked by a closed subscription go to another member of the group")
  void unackedMessagesOfAClosedSubscriptionGoToAnotherMember() {
    MqClient leaving = newClient();
    anotherMemberGetsEverythingAfter(s -> s.close(Duration.ofMillis(200)), leaving);
  }

  @Test
  @DisplayName("[LIFE-2] required: messages left unacked by a closed client go to another member of the group")
  void unackedMessagesOfAClosedClientGoToAnotherMember() {
    MqClient leaving = newClient();
    anotherMemberGetsEverythingAfter(s -> leaving.close(Duration.ofMillis(200)), leaving);
  }

  @Test
  @DisplayName("[LIFE-3] required: close waits for an in-flight handler, and the message it finished is acked")
  void closeDrainsInFlightHandlers() {
    Recorder a = recorder();
    AtomicBoolean finished = new AtomicBoolean();
    Subscription sa = newClient().subscribe(topic, group, options(), a.handler("a", d -> {
      work(Duration.ofMillis(500));
      finished.set(true);
    }));
    Message m = send(client(), Message.builder(topic).body("slow").build());
    a.awaitCount(1, DELIVERY);
    sa.close(Duration.ofSeconds(5));
    assertThat(finished).as("handler finished when close returned").isTrue();
    assertThat(sa.isClosed()).isTrue();
    Recorder b = recorder();
    newClient().subscribe(topic, group, options(), b.handler("b"));
    Message marker = send(client(), Message.builder(topic).body("marker").build());
    b.awaitIds(List.of(marker.id()), DELIVERY);
    b.assertNoMoreFor(Duration.ofMillis(1500));
    assertThat(b.of(m.id())).as("redeliveries of the drained message").isEmpty();
  }

  @Test
  @DisplayName("[LIFE-4] required: no message is acked before its handler finishes")
  void noMessageIsAckedBeforeItsHandlerFinishes() {
    CountDownLatch release = gate();
    Recorder a = recorder();
    client().admin().declareGroup(topic, group);
    client().subscribe(topic, group, options(), a.handler("a", d -> pass(release)));
    send(client(), Message.builder(topic).body("held").build());
    a.awaitCount(1, DELIVERY);
    awaitLag(client(), topic, group, 1, DELIVERY);
    t().holdsFor("lag stays 1 while the handler runs", Duration.ofMillis(500),
        () -> assertThat(client().admin().lag(topic, group)).as("lag while the handler runs").isEqualTo(1));
    release.countDown();
    awaitLag(client(), topic, group, 0, DELIVERY);
  }

  @Test
  @DisplayName("[LIFE-5] required: send after the client closed throws MqClosedException")
  void sendAfterCloseThrows() {
    MqClient c = newClient();
    Producer p = c.producer();
    c.close();
    assertThat(c.isClosed()).isTrue();
    assertThatThrownBy(() -> p.send(Message.builder(topic).body("late").build())).isInstanceOf(MqClosedException.class);
    assertThatThrownBy(() -> c.producer().send(Message.builder(topic).body("late").build()))
        .isInstanceOf(MqClosedException.class);
  }

  @Test
  @DisplayName("[LIFE-6] required: subscribe after the client closed throws MqClosedException")
  void subscribeAfterCloseThrows() {
    MqClient c = newClient();
    c.close();
    assertThatThrownBy(() -> c.subscribe(topic, group, options(), d -> {})).isInstanceOf(MqClosedException.class);
  }

  @Test
  @DisplayName("[LIFE-7] required: closing a subscription twice is harmless")
  void closingASubscriptionTwiceIsHarmless() {
    Subscription s = client().subscribe(topic, group, options(), d -> {});
    assertThat(s.isClosed()).isFalse();
    assertThat(s.topic()).isEqualTo(topic);
    assertThat(s.group()).isEqualTo(group);
    s.close();
    s.close();
    s.close(Duration.ZERO);
    assertThat(s.isClosed()).isTrue();
  }

  @Test
  @DisplayName("[LIFE-8] required: closing a client closes its subscriptions, and closing it twice is harmless")
  void closingAClientClosesItsSubscriptions() {
    MqClient c = newClient();
    Subscription s = c.subscribe(topic, group, options(), d -> {});
    c.close();
    c.close();
    assertThat(c.isClosed()).isTrue();
    assertThat(s.isClosed()).isTrue();
  }

  @Test
  @DisplayName("[LIFE-9] required: a closed subscription receives nothing more; the group's other member does")
  void aClosedSubscriptionReceivesNothingMore() {
    Recorder a = recorder();
    Recorder b = recorder();
    newClient().subscribe(topic, group, options(), a.handler("a")).close();
    newClient().subscribe(topic, group, options(), b.handler("b"));
    List<String> ids = publish(client(), topic, 10, "after-close");
    b.awaitIds(ids, DELIVERY);
    a.assertNoMoreFor(Duration.ofMillis(300));
    assertThat(a.count()).isZero();
  }

  @Test
  @DisplayName("[LIFE-10] required: inFlight counts messages fetched and not yet acked")
  void inFlightCountsUnackedMessages() {
    CountDownLatch release = gate();
    Recorder a = recorder();
    Subscription s = client().subscribe(topic, group, options(), a.handler("a", d -> pass(release)));
    send(client(), Message.builder(topic).body("held").build());
    a.awaitCount(1, DELIVERY);
    assertThat(s.inFlight()).as("in flight while the handler runs").isGreaterThanOrEqualTo(1);
    release.countDown();
    t().await("in flight back to 0", DELIVERY).untilAsserted(() -> assertThat(s.inFlight()).isZero());
  }
}
