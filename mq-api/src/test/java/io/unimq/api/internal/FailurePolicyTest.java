package io.unimq.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.AckMode;
import io.unimq.api.Idempotent;
import io.unimq.api.Message;
import io.unimq.api.RetryPolicy;
import io.unimq.api.SubscriptionOptions;
import io.unimq.api.internal.FailurePolicy.Decision;
import io.unimq.api.internal.FailurePolicy.Kind;
import io.unimq.spi.Headers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailurePolicyTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final RuntimeException BOOM = new IllegalStateException("boom");

  private static FailurePolicy policy(SubscriptionOptions options) {
    return new FailurePolicy("orders", "billing", options, () -> NOW);
  }

  private static FailurePolicy policy() {
    return policy(SubscriptionOptions.DEFAULT);
  }

  private static Message message(String key) {
    return Message.builder("orders").key(key).header("type", "created").body("x").build();
  }

  @Test
  void aHandledDeliveryIsAckedWithASharedDecision() {
    Decision d = policy().decide(message(null), 1, null, 0);
    assertThat(d.kind()).isEqualTo(Kind.ACK);
    assertThat(d.firstFailure()).isZero();
    assertThat(policy().decide(message("k"), 3, null, NOW - 5)).isSameAs(d);
  }

  @Test
  void aHandledDeliveryInManualModeIsLeftToTheHandler() {
    FailurePolicy p = policy(SubscriptionOptions.builder().ackMode(AckMode.MANUAL).build());
    assertThat(p.decide(message(null), 1, null, 0).kind()).isEqualTo(Kind.LEAVE);
  }

  @Test
  void aFirstFailureIsRetriedLaterWithTheNextAttemptsHeaders() {
    Message m = Message.builder("orders").header("type", "created").body("x").deliverAt(Instant.ofEpochMilli(NOW)).build();
    Decision d = policy().decide(m, 1, BOOM, 0);
    assertThat(d.kind()).isEqualTo(Kind.RETRY_LATER);
    assertThat(d.delay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(d.firstFailure()).isEqualTo(NOW);
    Message next = d.message();
    assertThat(next.id()).isEqualTo(m.id());
    assertThat(next.body()).isEqualTo(m.body());
    assertThat(next.deliverAt()).isNull();
    assertThat(next.headers()).containsEntry("type", "created").containsEntry(Headers.ATTEMPT, "2")
        .containsEntry(Headers.FIRST_FAILURE, Long.toString(NOW));
  }

  @Test
  void aLaterFailureKeepsTheFirstFailureTimeAndBacksOffFurther() {
    Decision d = policy().decide(message(null), 3, BOOM, NOW - 3000);
    assertThat(d.kind()).isEqualTo(Kind.RETRY_LATER);
    assertThat(d.delay()).isEqualTo(Duration.ofSeconds(4));
    assertThat(d.firstFailure()).isEqualTo(NOW - 3000);
    assertThat(d.message().header(Headers.ATTEMPT)).isEqualTo("4");
    assertThat(d.message().header(Headers.FIRST_FAILURE)).isEqualTo(Long.toString(NOW - 3000));
  }

  @Test
  void aKeyedMessageOfAnOrderedSubscriptionIsRetriedInPlace() {
    FailurePolicy p = policy(SubscriptionOptions.builder().ordered(true).build());
    Decision d = p.decide(message("order-42"), 2, BOOM, NOW - 10);
    assertThat(d.kind()).isEqualTo(Kind.RETRY_IN_PLACE);
    assertThat(d.delay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(d.message()).isNull();
    assertThat(d.firstFailure()).isEqualTo(NOW - 10);
  }

  @Test
  void anUnkeyedMessageOfAnOrderedSubscriptionIsRetriedLater() {
    FailurePolicy p = policy(SubscriptionOptions.builder().ordered(true).build());
    assertThat(p.decide(message(null), 1, BOOM, 0).kind()).isEqualTo(Kind.RETRY_LATER);
  }

  @Test
  void theLastAttemptGoesToTheDeadLettersInAnEnvelope() {
    Message m = Message.builder("orders").key("k").header("type", "created").body("x").build()
        .toBuilder().header(Headers.ATTEMPT, "5").header(Headers.FIRST_FAILURE, "123").build();
    Decision d = policy().decide(m, 5, BOOM, 123);
    assertThat(d.kind()).isEqualTo(Kind.DEAD_LETTER);
    assertThat(d.delay()).isNull();
    Message dead = d.message();
    assertThat(dead.id()).isEqualTo(m.id());
    assertThat(dead.key()).isEqualTo("k");
    assertThat(dead.headers()).doesNotContainKeys(Headers.ATTEMPT, Headers.FIRST_FAILURE)
        .containsEntry("type", "created")
        .containsEntry(Headers.DLQ_ORIGINAL_TOPIC, "orders")
        .containsEntry(Headers.DLQ_GROUP, "billing")
        .containsEntry(Headers.DLQ_ATTEMPTS, "5")
        .containsEntry(Headers.DLQ_FIRST_FAILURE, "123")
        .containsEntry(Headers.DLQ_LAST_FAILURE, Long.toString(NOW))
        .containsEntry(Headers.DLQ_EXCEPTION, IllegalStateException.class.getName())
        .containsEntry(Headers.DLQ_EXCEPTION_MESSAGE, "boom");
  }

  @Test
  void aNonRetryableErrorGoesToTheDeadLettersAtOnce() {
    RetryPolicy retry = RetryPolicy.builder().retryOn(e -> !(e instanceof IllegalArgumentException)).build();
    FailurePolicy p = policy(SubscriptionOptions.builder().retryPolicy(retry).build());
    Decision d = p.decide(message(null), 1, new IllegalArgumentException("bad"), 0);
    assertThat(d.kind()).isEqualTo(Kind.DEAD_LETTER);
    assertThat(d.message().header(Headers.DLQ_ATTEMPTS)).isEqualTo("1");
    assertThat(d.message().header(Headers.DLQ_FIRST_FAILURE)).isEqualTo(Long.toString(NOW));
    assertThat(p.decide(message(null), 1, BOOM, 0).kind()).isEqualTo(Kind.RETRY_LATER);
  }

  @Test
  void withoutRetriesTheFirstFailureIsFinal() {
    FailurePolicy p = policy(SubscriptionOptions.builder().retryPolicy(RetryPolicy.NONE).ordered(true).build());
    assertThat(p.decide(message("k"), 1, BOOM, 0).kind()).isEqualTo(Kind.DEAD_LETTER);
  }

  @Test
  void anAttemptBeyondTheMaximumIsFinalToo() {
    // a broker's native redelivery count may run past the policy
    assertThat(policy().decide(message(null), 9, BOOM, 0).kind()).isEqualTo(Kind.DEAD_LETTER);
  }

  @Test
  void withDeadLettersOffAnExhaustedMessageIsDropped() {
    FailurePolicy p = policy(SubscriptionOptions.builder().deadLetter(false).build());
    Decision d = p.decide(message(null), 5, BOOM, NOW - 1);
    assertThat(d.kind()).isEqualTo(Kind.DROP);
    assertThat(d.message()).isNull();
    assertThat(d.firstFailure()).isEqualTo(NOW - 1);
    assertThat(p.decide(message(null), 4, BOOM, 0).kind()).isEqualTo(Kind.RETRY_LATER);
  }

  @Test
  void failuresInManualModeFollowTheRetryPolicyToo() {
    FailurePolicy p = policy(SubscriptionOptions.builder().ackMode(AckMode.MANUAL).build());
    assertThat(p.decide(message(null), 1, BOOM, 0).kind()).isEqualTo(Kind.RETRY_LATER);
    assertThat(p.decide(message(null), 5, BOOM, 0).kind()).isEqualTo(Kind.DEAD_LETTER);
  }

  @Test
  void errorsAndAssertionsAreFailuresLikeExceptions() {
    assertThat(policy().decide(message(null), 1, new AssertionError("no"), 0).kind()).isEqualTo(Kind.RETRY_LATER);
    Decision d = policy().decide(message(null), 5, new OutOfMemoryError(), 0);
    assertThat(d.kind()).isEqualTo(Kind.DEAD_LETTER);
    assertThat(d.message().header(Headers.DLQ_EXCEPTION)).isEqualTo(OutOfMemoryError.class.getName());
    assertThat(d.message().header(Headers.DLQ_EXCEPTION_MESSAGE)).isEmpty();
  }

  @Test
  void theEnvelopeKeepsTheFirstThousandCharactersOfTheExceptionMessage() {
    String longText = "e".repeat(5000);
    Decision d = policy().decide(message(null), 5, new RuntimeException(longText), 0);
    assertThat(d.message().header(Headers.DLQ_EXCEPTION_MESSAGE)).hasSize(DeadLetterEnvelope.MAX_EXCEPTION_MESSAGE);
  }

  @Test
  void aHugeMaxBackoffSaturatesInsteadOfCostingAttempts() {
    RetryPolicy retry = RetryPolicy.builder().maxAttempts(100).initialBackoff(Duration.ofDays(1)).multiplier(10)
        .maxBackoff(Duration.ofSeconds(Long.MAX_VALUE)).build();
    FailurePolicy p = policy(SubscriptionOptions.builder().retryPolicy(retry).build());
    Decision d = p.decide(message(null), 99, BOOM, 0);
    assertThat(d.kind()).isEqualTo(Kind.RETRY_LATER);
    assertThat(d.delay()).isEqualTo(Duration.ofMillis(Long.MAX_VALUE));
  }

  /** Every combination of the inputs that choose the kind, against the rule written out once. */
  @Test
  void everyCombinationGetsTheDocumentedKind() {
    List<String> checked = new ArrayList<>();
    for (AckMode mode : AckMode.values()) {
      for (boolean ordered : new boolean[] {false, true}) {
        for (boolean deadLetter : new boolean[] {false, true}) {
          for (String key : new String[] {null, "k"}) {
            for (int attempt = 1; attempt <= 4; attempt++) {
              for (Throwable error : new Throwable[] {null, BOOM, new IllegalArgumentException()}) {
                RetryPolicy retry = RetryPolicy.builder().maxAttempts(3).retryOn(e -> !(e instanceof IllegalArgumentException)).build();
                FailurePolicy p = policy(SubscriptionOptions.builder().ackMode(mode).ordered(ordered).deadLetter(deadLetter)
                    .retryPolicy(retry).build());
                Kind expected;
                if (error == null) {
                  expected = mode == AckMode.AUTO ? Kind.ACK : Kind.LEAVE;
                } else if (attempt < 3 && !(error instanceof IllegalArgumentException)) {
                  expected = ordered && key != null ? Kind.RETRY_IN_PLACE : Kind.RETRY_LATER;
                } else {
                  expected = deadLetter ? Kind.DEAD_LETTER : Kind.DROP;
                }
                Decision d = p.decide(message(key), attempt, error, 0);
                assertThat(d.kind()).as("%s ordered=%s deadLetter=%s key=%s attempt=%d error=%s", mode, ordered, deadLetter, key,
                    attempt, error).isEqualTo(expected);
                assertThat(d.firstFailure()).isEqualTo(error == null ? 0 : NOW);
                assertThat(d.message() != null).isEqualTo(expected == Kind.RETRY_LATER || expected == Kind.DEAD_LETTER);
                assertThat(d.delay() != null).isEqualTo(expected == Kind.RETRY_LATER || expected == Kind.RETRY_IN_PLACE);
                checked.add(expected.name());
              }
            }
          }
        }
      }
    }
    assertThat(checked).hasSize(2 * 2 * 2 * 2 * 4 * 3).containsAll(List.of("ACK", "LEAVE", "RETRY_LATER", "RETRY_IN_PLACE",
        "DEAD_LETTER", "DROP"));
  }

  @Test
  void aKeyHeldByAnotherDeliveryWaitsForItsLeaseWithoutCountingAnAttemptWhateverThePolicy() {
    Idempotent.DuplicateInProgressException busy = new Idempotent.DuplicateInProgressException("k", Duration.ofSeconds(42));
    Message m = Message.builder("orders").header(Headers.ATTEMPT, "5").body("x").build();
    for (SubscriptionOptions o : List.of(SubscriptionOptions.DEFAULT,
        SubscriptionOptions.builder().retryPolicy(RetryPolicy.NONE).build())) {
      Decision d = policy(o).decide(m, 5, busy, 0);
      assertThat(d.kind()).isEqualTo(Kind.RETRY_LATER);
      assertThat(d.counted()).isFalse();
      assertThat(d.delay()).isEqualTo(Duration.ofSeconds(42));
      assertThat(d.firstFailure()).isZero();
      assertThat(d.message().id()).isEqualTo(m.id());
      assertThat(d.message().header(Headers.ATTEMPT)).isEqualTo("5");
      assertThat(d.message().header(Headers.FIRST_FAILURE)).isNull();
    }
    Decision inPlace = policy(SubscriptionOptions.builder().ordered(true).build()).decide(message("k"), 2, busy, NOW - 10);
    assertThat(inPlace.kind()).isEqualTo(Kind.RETRY_IN_PLACE);
    assertThat(inPlace.counted()).isFalse();
    assertThat(inPlace.delay()).isEqualTo(Duration.ofSeconds(42));
    assertThat(inPlace.firstFailure()).isEqualTo(NOW - 10);
  }
}
