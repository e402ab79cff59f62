package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Capability;
import io.unimq.api.DeadLetters;
import io.unimq.api.Message;
import io.unimq.api.RetryPolicy;
import io.unimq.spi.Headers;
import io.unimq.tck.Recorder.Received;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@code Retry} area's rules: a failing handler is retried by policy without holding up other
 * messages. Run as {@link MqCompatibilityKit.Retry}.
 */
abstract class RetryArea extends KitArea {
  RetryArea(MqCompatibilityKit kit) {
    super(kit);
  }

  final String topic = name("retry");
  final String group = name("retry-g");
  final Recorder r = recorder();

  @BeforeEach
  void requiresRetry() {
    requires(Capability.DEAD_LETTER);
  }

  @Test
  @DisplayName("[RETRY-1] optional (DEAD_LETTER): a handler failing twice then succeeding sees attempts 1, 2, 3, each after its backoff")
  void aMessageFailingTwiceIsDeliveredThreeTimesAfterItsBackoffs() {
    RetryPolicy policy = fastRetry();
    AtomicInteger calls = new AtomicInteger();
    client().subscribe(topic, group, options(policy), r.handler("c", d -> {
      if (calls.incrementAndGet() <= 2) {
        throw new IllegalStateException("tck: attempt " + d.attempt() + " fails");
      }
    }));
    Message m = send(client(), Message.builder(topic).body("flaky").build());
    List<Received> got = r.awaitDeliveries(m.id(), 3, retrySchedule(policy));
    r.assertNoMoreFor(policy.backoff(3).plus(Duration.ofMillis(300)));
    assertThat(r.of(m.id())).extracting(Received::attempt).containsExactly(1, 2, 3);
    assertGap(got.get(0), got.get(1), policy.backoff(1));
    assertGap(got.get(1), got.get(2), policy.backoff(2));
  }

  @Test
  @DisplayName("[RETRY-2] optional (DEAD_LETTER): a failing message does not hold up others: 100 healthy ones pass before its second attempt")
  void aFailingMessageDoesNotHoldUpOthers() {
    RetryPolicy slow = RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofSeconds(2)).multiplier(2)
        .maxBackoff(Duration.ofSeconds(4)).build();
    client().subscribe(topic, group, options(slow), r.handler("c", d -> {
      if ("poison".equals(d.header(TAG))) {
        throw new IllegalStateException("tck: poison");
      }
    }));
    Message poison = send(client(), message(topic, "poison", 0).build());
    List<String> healthy = publish(client(), topic, 100, "healthy");
    r.awaitIds(healthy, DELIVERY);
    List<Received> attempts = r.awaitDeliveries(poison.id(), 2, slow.backoff(1).plus(delayTolerance()).plus(DELIVERY));
    long second = attempts.get(1).nanoTime();
    assertThat(tagged(r, "healthy")).as("healthy messages handled before the poison's second attempt")
        .allSatisfy(x -> assertThat(x.nanoTime()).isLessThan(second));
    assertThat(attempts.get(1).attempt()).isEqualTo(2);
  }

  @Test
  @DisplayName("[RETRY-3] optional (DEAD_LETTER): an exception rejected by retryOn goes to the dead letters after one attempt")
  void anExceptionRejectedByRetryOnIsNotRetried() {
    RetryPolicy policy = RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(300)).multiplier(2)
        .maxBackoff(Duration.ofSeconds(2)).retryOn(e -> !(e instanceof IllegalArgumentException)).build();
    client().subscribe(topic, group, options(policy), r.handler("c", d -> {
      throw new IllegalArgumentException("tck: not worth retrying");
    }));
    Message m = send(client(), Message.builder(topic).body("bad").build());
    DeadLetters dl = awaitDeadLetters(client(), topic, group, 1, retrySchedule(policy));
    r.assertNoMoreFor(policy.backoff(1).plus(Duration.ofMillis(300)));
    assertThat(r.of(m.id())).as("deliveries").hasSize(1);
    assertThat(dl.peek(10)).singleElement().satisfies(dead -> {
      assertThat(dead.id()).isEqualTo(m.id());
      assertThat(dead.header(Headers.DLQ_ATTEMPTS)).isEqualTo("1");
      assertThat(dead.header(Headers.DLQ_EXCEPTION)).isEqualTo(IllegalArgumentException.class.getName());
    });
  }

  @Test
  @DisplayName("[RETRY-4] optional (DEAD_LETTER): a retried message keeps its id, key, headers and body")
  void aRetriedMessageKeepsItsIdKeyHeadersAndBody() {
    AtomicBoolean failed = new AtomicBoolean();
    client().subscribe(topic, group, options(), r.handler("c", d -> {
      if (failed.compareAndSet(false, true)) {
        throw new IllegalStateException("tck: first attempt fails");
      }
    }));
    Message m = send(client(), Message.builder(topic).key("k").header("h", "v").body("same").build());
    List<Received> got = r.awaitDeliveries(m.id(), 2, retrySchedule(fastRetry()));
    Message second = got.get(1).message();
    assertThat(second.id()).isEqualTo(m.id());
    assertThat(second.key()).isEqualTo("k");
    assertThat(second.bodyAsString()).isEqualTo("same");
    assertThat(userHeaders(second)).containsExactlyEntriesOf(Map.of("h", "v"));
  }

  @Test
  @DisplayName("[RETRY-5] optional (DEAD_LETTER): a retry goes only to the group whose handler failed")
  void aRetryGoesOnlyToTheFailingGroup() {
    String other = name("retry-other");
    Recorder healthy = recorder();
    AtomicBoolean failed = new AtomicBoolean();
    client().subscribe(topic, group, options(), r.handler("failing", d -> {
      if (failed.compareAndSet(false, true)) {
        throw new IllegalStateException("tck: first attempt fails");
      }
    }));
    newClient().subscribe(topic, other, options(), healthy.handler("healthy"));
    Message m = send(client(), Message.builder(topic).body("x").build());
    r.awaitDeliveries(m.id(), 2, retrySchedule(fastRetry()));
    // the healthy group's own delivery may come after the failing group's retry (a slow group join)
    healthy.awaitDeliveries(m.id(), 1, DELIVERY);
    healthy.assertNoMoreFor(Duration.ofMillis(500));
    assertThat(healthy.of(m.id())).as("deliveries to the healthy group").hasSize(1);
  }
}
