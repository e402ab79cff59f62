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
import io.unimq.api.TransactionState;
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
}
