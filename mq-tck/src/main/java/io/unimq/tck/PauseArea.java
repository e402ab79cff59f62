package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import io.unimq.api.MqClient;
import io.unimq.api.Subscription;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@code Pause} area's rules: a paused subscription fetches nothing, finishes what it fetched,
 * stays in its group and gets everything after resuming. Run as {@link MqCompatibilityKit.Pause}.
 */
abstract class PauseArea extends KitArea {
  PauseArea(MqCompatibilityKit kit) {
    super(kit);
  }

  /** How long a pause is watched for deliveries (not scaled: it proves that nothing happened). */
  static final Duration PAUSE_WINDOW = Duration.ofMillis(1500);

  final String topic = name("pause");
  final String group = name("pause-g");

  /** Waits until {@code s} has nothing in flight: what it fetched before pausing is settled. */
  void awaitSettled(Subscription s) {
    t().await("in-flight messages of the paused subscription settled", DELIVERY)
        .untilAsserted(() -> assertThat(s.inFlight()).as("in flight").isZero());
  }

  /** Publishes {@code n} messages while {@code s} is paused and checks that none reaches it while the lag shows them. */
  List<String> publishWhilePaused(Subscription s, Recorder r, int n) {
    int before = r.count();
    List<String> ids = publish(client(), topic, n, "paused");
    awaitLag(client(), topic, s.group(), n, DELIVERY);
    r.assertNoMoreFor(PAUSE_WINDOW);
    assertThat(r.count()).as("deliveries while paused").isEqualTo(before);
    assertThat(s.state()).isEqualTo(Subscription.State.PAUSED);
    return ids;
  }

  /** Resumes {@code s} and checks that exactly {@code ids} arrive, once each. */
  void resumeAndGetExactly(Subscription s, Recorder r, List<String> ids) {
    int before = r.count();
    s.resume();
    assertThat(s.state()).isEqualTo(Subscription.State.RUNNING);
    r.awaitIds(ids, DELIVERY);
    r.assertNoMoreFor(QUIET);
    assertThat(r.count() - before).as("deliveries after resume (published while paused: %d)", ids.size()).isEqualTo(ids.size());
    assertThat(r.duplicates()).as("messages delivered twice").isEmpty();
    awaitLag(client(), topic, s.group(), 0, DELIVERY);
  }

  @Test
  @DisplayName("[PAUSE-1] required: pause lets the in-flight handler finish and acks it, hands nothing new while paused (the lag grows), and resume delivers exactly what was published meanwhile")
  void pauseFinishesInFlightWorkAndResumeDeliversTheRest() {
    CountDownLatch slow = gate();
    Recorder r = recorder();
    Subscription s = newClient().subscribe(topic, group, options(), r.handler("a", d -> {
      if (d.bodyAsString().equals("slow")) {
        pass(slow);
      }
    }));
    Message first = send(client(), Message.builder(topic).body("slow").build());
    r.awaitCount(1, DELIVERY);
    s.pause();
    assertThat(s.state()).isEqualTo(Subscription.State.PAUSED);
    assertThat(s.inFlight()).as("the running handler's message is still in flight").isEqualTo(1);
    slow.countDown();
    awaitSettled(s);
    List<String> ids = publishWhilePaused(s, r, 20);
    resumeAndGetExactly(s, r, ids);
    assertThat(r.of(first.id())).as("deliveries of the message in flight at the pause").hasSize(1);
  }

  @Test
  @DisplayName("[PAUSE-2] required: another group of the topic keeps consuming while one group's subscription is paused")
  void anotherGroupIsNotAffected() {
    String other = name("pause-other");
    Recorder paused = recorder();
    Recorder running = recorder();
    MqClient c = newClient();
    Subscription s = c.subscribe(topic, group, options(), paused.handler("paused"));
    c.subscribe(topic, other, options(), running.handler("running"));
    List<String> warmUp = publish(client(), topic, 1, "warm-up");
    paused.awaitIds(warmUp, DELIVERY);
    running.awaitIds(warmUp, DELIVERY);
    s.pause();
    awaitSettled(s);
    List<String> ids = publish(client(), topic, 20, "paused");
    running.awaitIds(ids, DELIVERY);
    awaitLag(client(), topic, other, 0, DELIVERY);
    awaitLag(client(), topic, group, 20, DELIVERY);
    paused.assertNoMoreFor(PAUSE_WINDOW);
    assertThat(paused.ids()).as("deliveries to the paused group").containsExactlyElementsOf(warmUp);
    resumeAndGetExactly(s, paused, ids);
  }

  @Test
  @DisplayName("[PAUSE-3] required: state() reports RUNNING, PAUSED and CLOSED; pause and resume are idempotent and do nothing once closed")
  void stateIsReported() {
    Recorder r = recorder();
    Subscription s = newClient().subscribe(topic, group, options(), r.handler("a"));
    assertThat(s.state()).isEqualTo(Subscription.State.RUNNING);
    s.resume();
    assertThat(s.state()).as("resume of a running subscription").isEqualTo(Subscription.State.RUNNING);
    s.pause();
    s.pause();
    assertThat(s.state()).as("paused twice").isEqualTo(Subscription.State.PAUSED);
    s.resume();
    s.resume();
    assertThat(s.state()).as("resumed twice").isEqualTo(Subscription.State.RUNNING);
    List<String> ids = publish(client(), topic, 5, "after");
    r.awaitIds(ids, DELIVERY);
    s.pause();
    s.close(Duration.ofSeconds(5));
    assertThat(s.state()).as("closed while paused").isEqualTo(Subscription.State.CLOSED);
    s.resume();
    s.pause();
    assertThat(s.state()).as("pause and resume after close").isEqualTo(Subscription.State.CLOSED);
    assertThat(s.isClosed()).isTrue();
  }

  @Test
  @DisplayName("[PAUSE-4] required: a handler may pause its own subscription; what was fetched is finished, the rest waits for resume")
  void aHandlerMayPauseItsSubscription() {
    Recorder r = recorder();
    Subscription[] self = new Subscription[1];
    CountDownLatch subscribed = new CountDownLatch(1);
    Subscription s = newClient().subscribe(topic, group, options(), r.handler("a", d -> {
      if (d.bodyAsString().equals("stop")) {
        pass(subscribed);
        self[0].pause();
      }
    }));
    self[0] = s;
    subscribed.countDown();
    Message stop = send(client(), Message.builder(topic).body("stop").build());
    t().await("the handler paused its subscription", DELIVERY)
        .untilAsserted(() -> assertThat(s.state()).isEqualTo(Subscription.State.PAUSED));
    awaitSettled(s);
    List<String> ids = publishWhilePaused(s, r, 10);
    resumeAndGetExactly(s, r, ids);
    assertThat(new HashSet<>(r.ids())).as("messages handled").contains(stop.id()).containsAll(ids);
    assertThat(r.of(stop.id())).as("deliveries of the message whose handler paused").hasSize(1);
  }
}
