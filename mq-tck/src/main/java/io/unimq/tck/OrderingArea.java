package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Capability;
import io.unimq.api.RetryPolicy;
import io.unimq.api.SubscriptionOptions;
import io.unimq.tck.Recorder.Received;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@code Ordering} area's rules: messages with the same key are handled one at a time, in send
 * order. Run as {@link MqCompatibilityKit.Ordering}.
 */
abstract class OrderingArea extends KitArea {
  OrderingArea(MqCompatibilityKit kit) {
    super(kit);
  }

  final String topic = name("ord");
  final String group = name("ord-g");

  @BeforeEach
  void requiresOrdering() {
    requires(Capability.ORDERING);
  }

  List<String> keys(int n) {
    return IntStream.range(0, n).mapToObj(i -> String.format("key-%02d", i)).collect(Collectors.toList());
  }

  SubscriptionOptions ordered(int concurrency) {
    return options().toBuilder().ordered(true).concurrency(concurrency).build();
  }

  Recorder runOrdered(int keys, int perKey, int concurrency) {
    Recorder r = recorder();
    client().subscribe(topic, group, ordered(concurrency), r.handler("c", d -> work(Duration.ofMillis(1))));
    List<String> ids = publishKeyed(newClient(), topic, keys(keys), perKey);
    r.awaitIds(ids, BULK);
    return r;
  }

  void assertInSendOrder(Map<String, List<Integer>> seqs, List<String> keys, int perKey) {
    List<Integer> expected = IntStream.range(0, perKey).boxed().collect(Collectors.toList());
    for (String key : keys) {
      List<Integer> got = seqs.get(key);
      assertThat(got).as("sequence numbers of key %s in the order they were handled", key).containsExactlyElementsOf(expected);
    }
  }

  @Test
  @DisplayName("[ORD-1] optional (ORDERING): messages with the same key arrive in send order (20 keys x 100, concurrency 8)")
  void messagesWithTheSameKeyArriveInOrder() {
    Recorder r = runOrdered(20, 100, 8);
    assertInSendOrder(r.seqsByKey(), keys(20), 100);
  }

  @Test
  @DisplayName("[ORD-2] optional (ORDERING): two messages of one key are never handled at the same time")
  void handlersOfOneKeyNeverOverlap() {
    Recorder r = runOrdered(10, 50, 8);
    assertThat(r.sameKeyOverlaps()).as("handler starts while another handler of the same key ran").isZero();
  }

  @Test
  @DisplayName("[ORD-3] optional (ORDERING): different keys are handled in parallel")
  void differentKeysAreHandledInParallel() {
    Recorder r = runOrdered(10, 50, 8);
    assertThat(r.maxConcurrent()).as("most handlers running at once with concurrency 8").isGreaterThan(1);
  }

  @Test
  @DisplayName("[ORD-4] optional (ORDERING): two ordered members of one group keep per-key order")
  void twoOrderedMembersOfOneGroupKeepPerKeyOrder() {
    Recorder r = recorder();
    newClient().subscribe(topic, group, ordered(4), r.handler("a", d -> work(Duration.ofMillis(1))));
    newClient().subscribe(topic, group, ordered(4), r.handler("b", d -> work(Duration.ofMillis(1))));
    List<String> ids = publishKeyed(client(), topic, keys(10), 50);
    r.awaitIds(ids, BULK);
    // A redelivery after a rebalance may repeat a message; the first delivery of each must be in order.
    Map<String, List<Integer>> firstSeen = new LinkedHashMap<>();
    r.seqsByKey().forEach((k, seqs) -> firstSeen.put(k, seqs.stream().distinct().collect(Collectors.toList())));
    assertInSendOrder(firstSeen, keys(10), 50);
    assertThat(r.sameKeyOverlaps()).as("handler starts while another handler of the same key ran").isZero();
  }

  @Test
  @DisplayName("[ORD-5] optional (ORDERING, DEAD_LETTER): a retried keyed message holds back later messages of its key only")
  void aRetryHoldsBackOnlyItsOwnKey() {
    requires(Capability.DEAD_LETTER);
    RetryPolicy policy = RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofSeconds(1)).multiplier(2)
        .maxBackoff(Duration.ofSeconds(4)).build();
    AtomicBoolean failed = new AtomicBoolean();
    Recorder r = recorder();
    client().subscribe(topic, group, options(policy).toBuilder().ordered(true).concurrency(4).build(),
        r.handler("c", d -> {
          if ("A".equals(d.key()) && "1".equals(d.header(Recorder.SEQ)) && failed.compareAndSet(false, true)) {
            throw new IllegalStateException("tck: first attempt of A:1 fails");
          }
        }));
    publishKeyed(client(), topic, List.of("A"), 5);
    publishKeyed(client(), topic, List.of("B"), 20);
    r.awaitCount(26, retrySchedule(policy));
    List<Received> a = r.all().stream().filter(x -> "A".equals(x.key())).collect(Collectors.toList());
    List<Received> b = r.all().stream().filter(x -> "B".equals(x.key())).collect(Collectors.toList());
    assertThat(a).extracting(Received::seq).as("key A, in handling order").containsExactly(0, 1, 1, 2, 3, 4);
    assertThat(a.get(2).attempt()).as("attempt of the second delivery of A:1").isEqualTo(2);
    assertGap(a.get(1), a.get(2), policy.backoff(1));
    assertThat(b).extracting(Received::seq).as("key B").containsExactlyElementsOf(
        IntStream.range(0, 20).boxed().collect(Collectors.toList()));
    Received retry = a.get(2);
    assertThat(b).as("key B handled while A:1 waited for its retry")
        .allSatisfy(x -> assertThat(x.nanoTime()).isLessThan(retry.nanoTime()));
  }
}
