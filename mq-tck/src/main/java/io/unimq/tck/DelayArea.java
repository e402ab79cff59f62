package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Capability;
import io.unimq.api.Message;
import io.unimq.api.MqClient;
import io.unimq.api.SendReceipt;
import io.unimq.tck.Recorder.Received;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@code Delay} area's rules: a delayed message is never early and late by at most the
 * tolerance. Run as {@link MqCompatibilityKit.Delay}.
 */
abstract class DelayArea extends KitArea {
  DelayArea(MqCompatibilityKit kit) {
    super(kit);
  }

  final String topic = name("delay");
  final String group = name("delay-g");
  final Recorder r = recorder();

  @BeforeEach
  void requiresDelay() {
    requires(Capability.DELAY);
  }

  void assertOnTime(Received got, Instant due) {
    assertThat(got.at()).as("arrival of %s due at %s", got.id(), due)
        .isAfterOrEqualTo(due.minus(TckTimeouts.CLOCK_SLACK))
        .isBeforeOrEqualTo(due.plus(scaled(delayTolerance())));
  }

  @Test
  @DisplayName("[DELAY-1] optional (DELAY): a message delayed 2 s never arrives early and arrives within the tolerance")
  void aDelayedMessageIsNeverEarly() {
    client().subscribe(topic, group, options(), r.handler("c"));
    Message m = send(client(), Message.builder(topic).body("later").delay(Duration.ofSeconds(2)).build());
    r.awaitIds(List.of(m.id()), Duration.ofSeconds(2).plus(delayTolerance()).plus(DELIVERY));
    assertOnTime(r.of(m.id()).get(0), m.deliverAt());
  }

  @Test
  @DisplayName("[DELAY-2] optional (DELAY): 100 messages with shuffled due times arrive in due order, none early, all within the tolerance")
  void shuffledDueTimesArriveInDueOrder() {
    client().subscribe(topic, group, options(), r.handler("c"));
    Instant base = Instant.now().plusSeconds(1);
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      messages.add(message(topic, "due", i).deliverAt(base.plusMillis(30L * i)).build());
    }
    Collections.shuffle(messages, new Random(7));
    Map<String, Instant> due = new ConcurrentHashMap<>();
    List<Future<SendReceipt>> sends = new ArrayList<>();
    for (Message m : messages) {
      due.put(m.id(), m.deliverAt());
      sends.add(client().producer().sendAsync(m).toCompletableFuture());
    }
    sends.forEach(f -> join(f, DELIVERY));
    r.awaitIds(due.keySet(), Duration.ofSeconds(4).plus(delayTolerance()).plus(DELIVERY));
    List<Received> got = r.all();
    got.forEach(x -> assertOnTime(x, due.get(x.id())));
    Duration tolerance = scaled(delayTolerance());
    for (int i = 0; i < got.size(); i++) {
      for (int j = i + 1; j < got.size(); j++) {
        Instant earlier = due.get(got.get(i).id());
        Instant later = due.get(got.get(j).id());
        assertThat(Duration.between(later, earlier))
            .as("%s (due %s) arrived before %s (due %s)", got.get(i).id(), earlier, got.get(j).id(), later)
            .isLessThan(tolerance);
      }
    }
  }

  @Test
  @DisplayName("[DELAY-3] optional (DELAY): a delayed message reaches no member of the group before it is due, then exactly one")
  void aDelayedMessageReachesNoMemberBeforeItIsDue() {
    client().subscribe(topic, group, options(), r.handler("a"));
    newClient().subscribe(topic, group, options(), r.handler("b"));
    Message delayed = send(client(), Message.builder(topic).body("later").delay(Duration.ofSeconds(2)).build());
    Message now = send(client(), Message.builder(topic).body("now").build());
    r.awaitIds(List.of(now.id()), DELIVERY);
    assertThat(r.of(delayed.id())).as("deliveries of the delayed message right after the immediate one").isEmpty();
    r.awaitIds(List.of(delayed.id()), Duration.ofSeconds(2).plus(delayTolerance()).plus(DELIVERY));
    r.assertNoMoreFor(Duration.ofMillis(500));
    assertThat(r.of(delayed.id())).as("deliveries of the delayed message").hasSize(1)
        .allSatisfy(x -> assertOnTime(x, delayed.deliverAt()));
  }

  @Test
  @DisplayName("[DELAY-4] optional (DELAY): a due time in the past delivers at once")
  void aDueTimeInThePastDeliversAtOnce() {
    client().subscribe(topic, group, options(), r.handler("c"));
    Message m = send(client(), Message.builder(topic).body("overdue").deliverAt(Instant.now().minusSeconds(3600)).build());
    r.awaitIds(List.of(m.id()), delayTolerance().plus(Duration.ofSeconds(2)));
  }

  @Test
  @DisplayName("[DELAY-5] optional (DELAY): a delayed message outlives the client that sent it")
  void aDelayedMessageOutlivesItsSender() {
    client().subscribe(topic, group, options(), r.handler("c"));
    MqClient sender = newClient();
    Message m = send(sender, Message.builder(topic).body("later").delay(Duration.ofSeconds(2)).build());
    sender.close(Duration.ofSeconds(5));
    r.awaitIds(List.of(m.id()), Duration.ofSeconds(2).plus(delayTolerance()).plus(DELIVERY));
    assertOnTime(r.of(m.id()).get(0), m.deliverAt());
  }
}
