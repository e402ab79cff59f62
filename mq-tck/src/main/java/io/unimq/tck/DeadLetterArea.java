package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.Capability;
import io.unimq.api.DeadLetterSelection;
import io.unimq.api.DeadLetters;
import io.unimq.api.MqException;
import io.unimq.api.Message;
import io.unimq.api.MessageHandler;
import io.unimq.api.RetryPolicy;
import io.unimq.spi.Headers;
import io.unimq.tck.Recorder.Received;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
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

  /**
   * Dead-letters {@code n} messages (header {@code tenant}: {@code a} for every third, from the
   * first, else {@code b}) and returns them as the dead letters hold them, oldest first.
   */
  List<Message> deadLettered(int n) {
    client().subscribe(topic, group, options(policy), failingUntilHealed("c"));
    List<Message> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(message(topic, "dead", i).header("tenant", i % 3 == 0 ? "a" : "b").build());
    }
    for (int from = 0; from < n; from += 100) {
      client().producer().sendBatch(all.subList(from, Math.min(n, from + 100)));
    }
    DeadLetters dl = awaitDeadLetters(client(), topic, group, n, retrySchedule(policy).plus(BULK));
    List<Message> held = dl.page(null, n).messages();
    assertThat(held).extracting(Message::id).containsExactlyInAnyOrderElementsOf(all.stream().map(Message::id).toList());
    return held;
  }

  static List<String> ids(List<Message> messages) {
    return messages.stream().map(Message::id).collect(Collectors.toList());
  }

  /** The ids the dead letters of the group hold (all of them, paged). */
  List<String> heldIds() {
    return ids(client().deadLetters(topic, group).page(null, 10_000).messages());
  }

  @Test
  @DisplayName("[DLQ-7] optional (DEAD_LETTER): replay of chosen ids replays exactly those, each once with attempt 1, and keeps the others")
  void replayOfChosenIdsReplaysExactlyThose() {
    List<Message> held = deadLettered(6);
    List<String> chosen = List.of(held.get(1).id(), held.get(4).id());
    healthy.set(true);
    DeadLetters dl = client().deadLetters(topic, group);
    assertThat(dl.replay(DeadLetterSelection.ids(chosen))).as("replayed").isEqualTo(2);
    for (String id : chosen) {
      List<Received> got = r.awaitDeliveries(id, policy.maxAttempts() + 1, DELIVERY);
      assertThat(got.get(policy.maxAttempts()).attempt()).as("attempt after replay").isEqualTo(1);
    }
    r.assertNoMoreFor(Duration.ofMillis(500));
    List<String> kept = new ArrayList<>(ids(held));
    kept.removeAll(chosen);
    assertThat(dl.count()).isEqualTo(4);
    assertThat(heldIds()).as("dead letters kept").containsExactlyInAnyOrderElementsOf(kept);
  }

  @Test
  @DisplayName("[DLQ-8] optional (DEAD_LETTER): purge by a header removes exactly the dead letters that carry it and says how many")
  void purgeByHeaderRemovesExactlyThose() {
    List<Message> held = deadLettered(9);
    DeadLetters dl = client().deadLetters(topic, group);
    List<String> a = ids(held.stream().filter(m -> "a".equals(m.header("tenant"))).toList());
    List<String> b = ids(held.stream().filter(m -> "b".equals(m.header("tenant"))).toList());
    assertThat(dl.purge(DeadLetterSelection.header("tenant", "b"), DeadLetters.Progress.NONE)).as("purged").isEqualTo(b.size());
    assertThat(dl.count()).isEqualTo(a.size());
    assertThat(heldIds()).as("dead letters kept").containsExactlyInAnyOrderElementsOf(a);
    assertThat(dl.purge(DeadLetterSelection.where(m -> m.bodyAsString().equals("nothing is called this")), null)).isZero();
    assertThat(dl.count()).isEqualTo(a.size());
  }

  @Test
  @DisplayName("[DLQ-9] optional (DEAD_LETTER): replay of the oldest N replays the N that peek shows first and keeps the rest")
  void replayOfTheOldestReplaysThose() {
    List<Message> held = deadLettered(5);
    healthy.set(true);
    DeadLetters dl = client().deadLetters(topic, group);
    assertThat(dl.replay(DeadLetterSelection.oldest(2))).as("replayed").isEqualTo(2);
    for (Message m : held.subList(0, 2)) {
      r.awaitDeliveries(m.id(), policy.maxAttempts() + 1, DELIVERY);
    }
    r.assertNoMoreFor(Duration.ofMillis(500));
    assertThat(heldIds()).as("dead letters kept, in order").containsExactlyElementsOf(ids(held.subList(2, 5)));
    assertThat(dl.replay(DeadLetterSelection.header("tenant", "b").limit(1))).isEqualTo(1);
    assertThat(dl.count()).isEqualTo(2);
  }

  @Test
  @DisplayName("[DLQ-10] optional (DEAD_LETTER): replay to another topic publishes the chosen dead letters there (same id, key, body and own headers, no dead-letter headers) and removes them")
  void replayToAnotherTopic() {
    List<Message> held = deadLettered(4);
    String target = name("dlq-target");
    Recorder elsewhere = recorder();
    newClient().subscribe(target, name("dlq-target-g"), options(policy), elsewhere.handler("elsewhere"));
    DeadLetters dl = client().deadLetters(topic, group);
    List<String> a = ids(held.stream().filter(m -> "a".equals(m.header("tenant"))).toList());
    assertThat(dl.replayTo(target, DeadLetterSelection.header("tenant", "a"), null)).as("replayed to " + target).isEqualTo(a.size());
    for (String id : a) {
      Received got = elsewhere.awaitDeliveries(id, 1, DELIVERY).get(0);
      assertThat(got.message().topic()).isEqualTo(target);
      assertThat(got.message().header("tenant")).isEqualTo("a");
      assertThat(got.body()).startsWith("dead-");
      assertThat(got.attempt()).isEqualTo(1);
      assertThat(got.message().headers().keySet()).noneMatch(h -> h.startsWith("unimq-dlq-"));
    }
    elsewhere.assertNoMoreFor(Duration.ofMillis(500));
    assertThat(dl.count()).isEqualTo(held.size() - a.size());
    r.assertNoMoreFor(Duration.ofMillis(300));
    assertThat(r.of(a.get(0))).as("deliveries to the dead letters' own group").hasSize(policy.maxAttempts());
  }

  @Test
  @DisplayName("[DLQ-11] optional (DEAD_LETTER): paging with a cursor walks every dead letter once, oldest first, and a foreign cursor is refused")
  void pagingWalksEveryDeadLetterOnce() {
    List<Message> held = deadLettered(7);
    DeadLetters dl = client().deadLetters(topic, group);
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      DeadLetters.Page page = dl.page(cursor, 3);
      assertThat(page.messages()).hasSizeLessThanOrEqualTo(3);
      seen.addAll(ids(page.messages()));
      cursor = page.next();
      pages++;
    } while (cursor != null && pages < 10);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyElementsOf(ids(held));
    assertThat(ids(dl.peek(3))).containsExactlyElementsOf(ids(held.subList(0, 3)));
    assertThat(dl.count()).as("paging removes nothing").isEqualTo(7);
    assertThatThrownBy(() -> dl.page("no such cursor", 3)).isInstanceOf(MqException.class).hasMessageContaining("no such cursor");
  }

  @Test
  @DisplayName("[DLQ-12] optional (DEAD_LETTER): a selective purge of more dead letters than a page streams them page by page and reports progress up to the total")
  void aLargeSelectivePurgeStreamsAndReportsProgress() {
    List<Message> held = deadLettered(250);
    DeadLetters dl = client().deadLetters(topic, group);
    List<long[]> reports = new ArrayList<>();
    Set<String> examined = new HashSet<>();
    long purged = dl.purge(DeadLetterSelection.where(m -> examined.add(m.id()) && "a".equals(m.header("tenant"))),
        (done, total, acted) -> reports.add(new long[] {done, total, acted}));
    long a = held.stream().filter(m -> "a".equals(m.header("tenant"))).count();
    assertThat(purged).isEqualTo(a);
    assertThat(examined).as("each dead letter examined once").hasSize(250);
    assertThat(reports.size()).as("progress reports (one per page and one at the start)").isGreaterThanOrEqualTo(3);
    assertThat(reports).allSatisfy(p -> assertThat(p[1]).as("total").isEqualTo(250));
    for (int i = 1; i < reports.size(); i++) {
      assertThat(reports.get(i)[0]).as("done grows").isGreaterThan(reports.get(i - 1)[0]);
      assertThat(reports.get(i)[0] - reports.get(i - 1)[0]).as("examined per page").isLessThanOrEqualTo(100);
    }
    assertThat(reports.get(reports.size() - 1)).containsExactly(250, 250, a);
    assertThat(dl.count()).isEqualTo(250 - a);
  }
}
