package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Capability;
import io.unimq.api.DeadLetters;
import io.unimq.api.Message;
import io.unimq.api.MessageHandler;
import io.unimq.api.RetryPolicy;
import io.unimq.spi.Headers;
import io.unimq.tck.Recorder.Received;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@code DeadLetter} area's rules: exhausted messages are kept with their failure, inspected,
 * replayed and purged. Run as {@link MqCompatibilityKit.DeadLetter}.
 */
abstract class DeadLetterArea extends KitArea {
  DeadLetterArea(MqCompatibilityKit kit) {
    super(kit);
  }

  final String topic = name("dlq");
  final String group = name("dlq-g");
  final Recorder r = recorder();
  final RetryPolicy policy = fastRetry();
  final AtomicBoolean healthy = new AtomicBoolean();

  @BeforeEach
  void requiresDeadLetters() {
    requires(Capability.DEAD_LETTER);
  }

  MessageHandler failingUntilHealed(String consumer) {
    return r.handler(consumer, d -> {
      if (!healthy.get()) {
        throw new IllegalStateException("tck: poison " + d.id());
      }
    });
  }

  Message exhaust(Message m) {
    send(client(), m);
    r.awaitDeliveries(m.id(), policy.maxAttempts(), retrySchedule(policy));
    awaitDeadLetters(client(), topic, group, 1, DELIVERY);
    return m;
  }

  @Test
  @DisplayName("[DLQ-1] optional (DEAD_LETTER): an always failing message is delivered maxAttempts times, then dead-lettered exactly once")
  void anExhaustedMessageIsDeadLetteredOnce() {
    client().subscribe(topic, group, options(policy), failingUntilHealed("c"));
    Message m = exhaust(Message.builder(topic).body("poison").build());
    r.assertNoMoreFor(policy.backoff(policy.maxAttempts()).plus(Duration.ofMillis(300)));
    assertThat(r.of(m.id())).extracting(Received::attempt).containsExactly(1, 2, 3);
    DeadLetters dl = client().deadLetters(topic, group);
    assertThat(dl.count()).isEqualTo(1);
    assertThat(dl.peek(10)).extracting(Message::id).containsExactly(m.id());
  }

  @Test
  @DisplayName("[DLQ-2] optional (DEAD_LETTER): a dead letter carries the original message and its failure headers")
  void aDeadLetterCarriesItsFailure() {
    long start = System.currentTimeMillis();
    client().subscribe(topic, group, options(policy), failingUntilHealed("c"));
    Message m = exhaust(Message.builder(topic).key("k").header("h", "v").body("poison").build());
    Message dead = client().deadLetters(topic, group).peek(10).get(0);
    assertThat(dead.id()).isEqualTo(m.id());
    assertThat(dead.key()).isEqualTo("k");
    assertThat(dead.bodyAsString()).isEqualTo("poison");
    assertThat(dead.header("h")).isEqualTo("v");
    assertThat(dead.header(Headers.DLQ_ORIGINAL_TOPIC)).isEqualTo(topic);
    assertThat(dead.header(Headers.DLQ_GROUP)).isEqualTo(group);
    assertThat(dead.header(Headers.DLQ_ATTEMPTS)).isEqualTo(Integer.toString(policy.maxAttempts()));
    assertThat(dead.header(Headers.DLQ_EXCEPTION)).isEqualTo(IllegalStateException.class.getName());
    assertThat(dead.header(Headers.DLQ_EXCEPTION_MESSAGE)).isEqualTo("tck: poison " + m.id());
    long now = System.currentTimeMillis();
    long first = Long.parseLong(dead.header(Headers.DLQ_FIRST_FAILURE));
    long last = Long.parseLong(dead.header(Headers.DLQ_LAST_FAILURE));
    assertThat(first).as("first failure, epoch millis").isBetween(start, now);
    assertThat(last).as("last failure, epoch millis").isBetween(first, now);
    long minSpan = policy.backoff(1).plus(policy.backoff(2)).minus(TckTimeouts.CLOCK_SLACK).toMillis();
    assertThat(last - first).as("ms between first and last failure").isGreaterThanOrEqualTo(minSpan);
  }

  @Test
  @DisplayName("[DLQ-3] optional (DEAD_LETTER): replay returns a dead letter to its group with the same id and empties the dead letters")
  void replayReturnsTheMessageToTheGroup() {
    client().subscribe(topic, group, options(policy), failingUntilHealed("c"));
    Message m = exhaust(Message.builder(topic).body("poison").build());
    healthy.set(true);
    assertThat(client().deadLetters(topic, group).replay()).as("replayed").isEqualTo(1);
    List<Received> got = r.awaitDeliveries(m.id(), policy.maxAttempts() + 1, DELIVERY);
    Received replayed = got.get(policy.maxAttempts());
    assertThat(replayed.attempt()).as("attempt after replay").isEqualTo(1);
    assertThat(replayed.body()).isEqualTo("poison");
    assertThat(replayed.message().headers().keySet()).as("headers after replay").noneMatch(h -> h.startsWith("unimq-dlq-"));
    awaitDeadLetters(client(), topic, group, 0, DELIVERY);
    r.assertNoMoreFor(Duration.ofMillis(500));
  }

  @Test
  @DisplayName("[DLQ-4] optional (DEAD_LETTER): purge removes every dead letter and says how many")
  void purgeEmptiesTheDeadLetters() {
    client().subscribe(topic, group, options(policy), failingUntilHealed("c"));
    List<String> ids = publish(client(), topic, 3, "poison");
    for (String id : ids) {
      r.awaitDeliveries(id, policy.maxAttempts(), retrySchedule(policy));
    }
    DeadLetters dl = awaitDeadLetters(client(), topic, group, 3, DELIVERY);
    assertThat(dl.peek(10)).extracting(Message::id).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(dl.purge()).as("purged").isEqualTo(3);
    awaitDeadLetters(client(), topic, group, 0, DELIVERY);
    assertThat(dl.peek(10)).isEmpty();
  }

  @Test
  @DisplayName("[DLQ-5] optional (DEAD_LETTER): replay goes to that group only, not to other groups of the topic")
  void replayGoesOnlyToThatGroup() {
    String other = name("dlq-other");
    Recorder bystander = recorder();
    client().subscribe(topic, group, options(policy), failingUntilHealed("c"));
    newClient().subscribe(topic, other, options(policy), bystander.handler("bystander"));
    Message m = exhaust(Message.builder(topic).body("poison").build());
    assertThat(client().deadLetters(topic, other).count()).as("dead letters of the healthy group").isZero();
    healthy.set(true);
    client().deadLetters(topic, group).replay();
    r.awaitDeliveries(m.id(), policy.maxAttempts() + 1, DELIVERY);
    bystander.assertNoMoreFor(Duration.ofMillis(500));
    assertThat(bystander.of(m.id())).as("deliveries to the other group").hasSize(1);
  }

  @Test
  @DisplayName("[DLQ-6] optional (DEAD_LETTER): with dead letters off, an exhausted message is dropped")
  void withDeadLettersOffAnExhaustedMessageIsDropped() {
    client().subscribe(topic, group, options(policy).toBuilder().deadLetter(false).build(), failingUntilHealed("c"));
    Message m = send(client(), Message.builder(topic).body("poison").build());
    r.awaitDeliveries(m.id(), policy.maxAttempts(), retrySchedule(policy));
    r.assertNoMoreFor(policy.backoff(policy.maxAttempts()).plus(Duration.ofMillis(300)));
    assertThat(client().deadLetters(topic, group).count()).isZero();
    assertThat(r.of(m.id())).hasSize(policy.maxAttempts());
  }
}
