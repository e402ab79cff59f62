package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.unimq.api.Capability;
import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.MqClosedException;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.MqInvalidMessageException;
import io.unimq.api.MqUnsupportedException;
import io.unimq.api.Producer;
import io.unimq.api.RetryPolicy;
import io.unimq.api.TransactionState;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code BadInput} area's rules: rejected early with a typed exception and a clear message.
 * Run as {@link MqCompatibilityKit.BadInput}.
 */
abstract class BadInputArea extends KitArea {
  BadInputArea(MqCompatibilityKit kit) {
    super(kit);
  }

  final String topic = name("bad");
  final String group = name("bad-g");

  /** Connects, keeping the client for cleanup should the connect wrongly succeed. */
  MqClient connectTo(String uri) {
    MqClient c = Mq.connect(uri);
    track(c);
    return c;
  }

  void assertRejected(Message m) {
    assertThatThrownBy(() -> client().producer().send(m)).isInstanceOf(MqInvalidMessageException.class);
  }

  @Test
  @DisplayName("[BAD-1] required: an unknown scheme is a configuration error that names the artifact to add")
  void anUnknownSchemeNamesTheArtifact() {
    assertThatThrownBy(() -> connectTo("nosuch://x")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("nosuch")
        .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("io.unimq:mq-", "artifact"));
  }

  @ParameterizedTest(name = "[BAD-2] required: malformed URI \"{0}\"")
  @NullAndEmptySource
  @ValueSource(strings = {"::nope", "kafka//x", "   ", "no-scheme-at-all"})
  @DisplayName("[BAD-2] required: a malformed URI is a configuration error")
  void aMalformedUriIsAConfigurationError(String uri) {
    assertThatThrownBy(() -> connectTo(uri)).isInstanceOf(MqConfigurationException.class);
  }

  @Test
  @DisplayName("[BAD-3] required: an unknown URI parameter is a configuration error naming it")
  void anUnknownParameterIsRejectedByName() {
    String uri = uri();
    String bad = uri + (uri.contains("?") ? "&" : "?") + "bogus=1";
    assertThatThrownBy(() -> connectTo(bad)).isInstanceOf(MqConfigurationException.class).hasMessageContaining("bogus");
  }

  @Test
  @DisplayName("[BAD-4] required: a null topic is rejected")
  void aNullTopicIsRejected() {
    assertRejected(Message.builder(null).body("x").build());
  }

  @Test
  @DisplayName("[BAD-5] required: a null body is rejected")
  void aNullBodyIsRejected() {
    assertRejected(Message.builder(topic).build());
  }

  @Test
  @DisplayName("[BAD-6] optional (maxMessageSize ≤ 64 MiB): a message larger than maxMessageSize is rejected before the network")
  void anOversizedMessageIsRejected() {
    int max = client().maxMessageSize();
    requires(max > 0 && max <= 64 << 20, () -> "maxMessageSize " + max + " is too large to allocate in a test");
    Recorder r = recorder();
    client().subscribe(topic, group, options(), r.handler("c"));
    Message big = Message.builder(topic).body(new byte[max + 1]).build();
    assertThatThrownBy(() -> client().producer().send(big)).isInstanceOf(MqInvalidMessageException.class)
        .hasMessageContaining(Integer.toString(max));
    Message marker = send(client(), Message.builder(topic).body("marker").build());
    r.awaitIds(List.of(marker.id()), DELIVERY);
    assertThat(r.of(big.id())).isEmpty();
  }

  @Test
  @DisplayName("[BAD-7] required: sendAsync after the client closed fails with MqClosedException")
  void sendAsyncAfterCloseFails() {
    MqClient c = newClient();
    Producer p = c.producer();
    c.close();
    Throwable t = catchThrowable(() -> p.sendAsync(Message.builder(topic).body("late").build()).toCompletableFuture()
        .get(scaled(DELIVERY).toMillis(), TimeUnit.MILLISECONDS));
    assertThat(unwrap(t)).as("thrown or the failure of the returned stage").isInstanceOf(MqClosedException.class);
  }

  @ParameterizedTest(name = "[BAD-8] required: group \"{0}\"")
  @NullAndEmptySource
  @ValueSource(strings = {"a b", "grp/1", "grp.1", "ünï"})
  @DisplayName("[BAD-8] required: a null, empty or illegal group name is rejected on subscribe")
  void anIllegalGroupIsRejected(String badGroup) {
    assertThatThrownBy(() -> client().subscribe(topic, badGroup, options(), d -> {}))
        .isInstanceOf(MqInvalidMessageException.class);
  }

  @Test
  @DisplayName("[BAD-9] required: a reserved unimq- header set by the user is rejected")
  void aReservedHeaderIsRejected() {
    assertThatThrownBy(() -> client().producer().send(Message.builder(topic).header("unimq-x", "1").body("x").build()))
        .isInstanceOf(MqInvalidMessageException.class).hasMessageContaining("unimq-x");
  }

  @ParameterizedTest(name = "[BAD-10] required: topic \"{0}\"")
  @ValueSource(strings = {"a b", "", "a/b", "a.b", "tópico", "a:b"})
  @DisplayName("[BAD-10] required: an illegal topic name is rejected on send")
  void anIllegalTopicIsRejectedOnSend(String badTopic) {
    assertRejected(Message.builder(badTopic).body("x").build());
  }

  @Test
  @DisplayName("[BAD-11] required: an illegal topic name is rejected on subscribe")
  void anIllegalTopicIsRejectedOnSubscribe() {
    assertThatThrownBy(() -> client().subscribe("a b", group, options(), d -> {}))
        .isInstanceOf(MqInvalidMessageException.class).hasMessageContaining("a b");
  }

  @Test
  @DisplayName("[BAD-12] required: names of 100 characters are accepted, 101 rejected")
  void namesLongerThan100AreRejected() {
    String hundred = (topic + "-" + "x".repeat(100)).substring(0, 100);
    assertThat(client().producer().send(Message.builder(hundred).body("x").build()).topic()).isEqualTo(hundred);
    assertRejected(Message.builder(hundred + "y").body("x").build());
  }

  @Test
  @DisplayName("[BAD-13] required: a capability is usable exactly when declared: an undeclared one throws MqUnsupportedException")
  void anUndeclaredCapabilityIsUnsupported() {
    MqClient c = client();
    Set<Capability> caps = c.capabilities();
    if (caps.contains(Capability.TRANSACTIONS)) {
      c.transactionalProducer(name("bad-pg"), h -> TransactionState.COMMIT).close();
    } else {
      assertThatThrownBy(() -> c.transactionalProducer(name("bad-pg"), h -> TransactionState.COMMIT))
          .isInstanceOf(MqUnsupportedException.class).hasMessageContaining("TRANSACTIONS");
    }
    if (caps.contains(Capability.DEAD_LETTER)) {
      c.admin().declareGroup(topic, group);
      assertThat(c.deadLetters(topic, group).count()).isZero();
    } else {
      assertThatThrownBy(() -> c.deadLetters(topic, group)).isInstanceOf(MqUnsupportedException.class)
          .hasMessageContaining("DEAD_LETTER");
    }
  }

  @ParameterizedTest(name = "[BAD-14] required: a lone surrogate in the {0}")
  @ValueSource(strings = {"header value", "header name", "key", "id"})
  @DisplayName("[BAD-14] required: a string UTF-8 cannot carry (a lone UTF-16 surrogate) is rejected before the network, not altered")
  void aLoneSurrogateIsRejected(String part) {
    String lone = "x\uD83D";
    Message.Builder b = Message.builder(topic).body("x");
    switch (part) {
      case "header value" -> b.header("h", lone);
      case "header name" -> b.header(lone, "v");
      case "key" -> b.key(lone);
      default -> b.id(lone);
    }
    assertThatThrownBy(() -> client().producer().send(b.build())).isInstanceOf(MqInvalidMessageException.class)
        .hasMessageContaining("surrogate");
    Message fine = Message.builder(topic).key("k-\uD83D\uDE00").header("h\uD83D\uDE00", "v\uD83D\uDE00").body("x").build();
    assertThat(client().producer().send(fine).messageId()).isEqualTo(fine.id());
  }

  @ParameterizedTest(name = "[BAD-15] required: {0}")
  @ValueSource(strings = {"a header name of 256 bytes", "a header name of 400 bytes in 200 characters", "an id of 300 bytes",
      "a header value of 100 KiB", "500 headers of 200 bytes", "a key of 300 bytes", "a header value with a newline and a tab"})
  @DisplayName("[BAD-15] required: a message beyond a limit of the broker is delivered intact or rejected at once, and the producer stays usable")
  void aMessageBeyondABrokerLimitNeverBreaksTheProducer(String what) {
    Message.Builder b = Message.builder(topic).body("limit");
    switch (what) {
      case "a header name of 256 bytes" -> b.header("h".repeat(256), "v");
      case "a header name of 400 bytes in 200 characters" -> b.header("\u00e9".repeat(200), "v");
      case "an id of 300 bytes" -> b.id("i".repeat(300));
      case "a header value of 100 KiB" -> b.header("big", "v".repeat(100 << 10));
      case "a key of 300 bytes" -> b.key("k".repeat(300));
      case "a header value with a newline and a tab" -> b.header("text", "line 1\nline\t2");
      default -> {
        for (int i = 0; i < 500; i++) {
          b.header(String.format("h%03d", i), "v".repeat(196));
        }
      }
    }
    Message m = b.build();
    MqClient c = newClient();
    Recorder r = recorder();
    client().subscribe(topic, group, options(), r.handler("c"));
    long start = System.nanoTime();
    Throwable refused = catchThrowable(() -> c.producer().send(m));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    if (refused != null) {
      assertThat(refused).as("the send of %s failed", what).isInstanceOf(MqInvalidMessageException.class);
      assertThat(took).as("rejected without retries").isLessThan(scaled(Duration.ofSeconds(2)));
    }
    List<Message> good = new java.util.ArrayList<>();
    List<java.util.concurrent.CompletableFuture<?>> sends = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      Message g = Message.builder(topic).body("after-" + i).build();
      good.add(g);
      sends.add(c.producer().sendAsync(g).toCompletableFuture());
    }
    assertThat(catchThrowable(() -> java.util.concurrent.CompletableFuture.allOf(sends.toArray(java.util.concurrent.CompletableFuture[]::new))
        .get(scaled(DELIVERY).toMillis(), TimeUnit.MILLISECONDS))).as("100 sends after it").isNull();
    List<String> expected = new java.util.ArrayList<>(good.stream().map(Message::id).toList());
    if (refused == null) {
      expected.add(m.id());
    }
    r.awaitIds(expected, BULK);
    if (refused == null) {
      Message got = r.of(m.id()).get(0).message();
      assertThat(got.id()).isEqualTo(m.id());
      assertThat(userHeaders(got)).isEqualTo(m.headers());
      assertThat(got.key()).isEqualTo(m.key());
    }
    start = System.nanoTime();
    c.close();
    // nothing left waiting for the rejected message: a close as quick as any (the RocketMQ clients take about 3 s)
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("close after it").isLessThan(scaled(Duration.ofSeconds(6)));
  }

  @ParameterizedTest(name = "[BAD-16] required: {0}")
  @ValueSource(strings = {"sendTimeout=-1s", "sendTimeout=0s", "sendTimeout=soon", "connectTimeout=-1s", "connectTimeout=0s",
      "sendRetries=-1", "sendRetries=many", "txCheckInterval=-1s", "txCheckInterval=0s"})
  @DisplayName("[BAD-16] required: a core parameter with a bad value is a configuration error naming it")
  void aBadCoreParameterIsAConfigurationError(String parameter) {
    String uri = uri();
    String bad = uri + (uri.contains("?") ? "&" : "?") + parameter;
    String name = parameter.substring(0, parameter.indexOf('='));
    assertThatThrownBy(() -> connectTo(bad)).isInstanceOf(MqConfigurationException.class).hasMessageContaining(name);
  }

  @Test
  @DisplayName("[BAD-17] optional (DEAD_LETTER): a retry policy with an unbounded maxBackoff keeps its attempts: 3 deliveries, then a dead letter")
  void anUnboundedMaxBackoffKeepsTheAttempts() {
    requires(Capability.DEAD_LETTER);
    RetryPolicy policy = RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(200)).multiplier(10)
        .maxBackoff(Duration.ofSeconds(Long.MAX_VALUE)).build();
    Recorder r = recorder();
    client().subscribe(topic, group, options(policy), r.handler("c", d -> {
      throw new IllegalStateException("tck: always fails");
    }));
    Message m = send(client(), Message.builder(topic).body("unbounded").build());
    r.awaitDeliveries(m.id(), 3, retrySchedule(policy));
    awaitDeadLetters(client(), topic, group, 1, DELIVERY);
    assertThat(r.of(m.id())).extracting(Recorder.Received::attempt).containsExactly(1, 2, 3);
  }

  @Test
  @DisplayName("[BAD-18] optional (DEAD_LETTER): a retry due later than the broker can wait (400 days) is neither early nor dead-lettered")
  void aRetryBeyondTheBrokersRangeIsNotEarly() {
    requires(Capability.DEAD_LETTER);
    RetryPolicy far = RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofDays(400)).build();
    Recorder r = recorder();
    client().subscribe(topic, group, options(far), r.handler("c", d -> {
      throw new IllegalStateException("tck: fails");
    }));
    Message m = send(client(), Message.builder(topic).body("far").build());
    r.awaitDeliveries(m.id(), 1, DELIVERY);
    r.assertNoMoreFor(Duration.ofSeconds(3));
    assertThat(r.of(m.id())).hasSize(1);
    assertThat(client().deadLetters(topic, group).count()).isZero();
  }
}
