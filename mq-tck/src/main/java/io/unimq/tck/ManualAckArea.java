package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.AckMode;
import io.unimq.api.Capability;
import io.unimq.api.Delivery;
import io.unimq.api.Message;
import io.unimq.api.Subscription;
import io.unimq.api.SubscriptionOptions;
import io.unimq.tck.Recorder.Received;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@code ManualAck} area's rules: what the handler acks is done, the rest comes back. Run as
 * {@link MqCompatibilityKit.ManualAck}.
 */
abstract class ManualAckArea extends KitArea {
  ManualAckArea(MqCompatibilityKit kit) {
    super(kit);
  }

  final String topic = name("ack");
  final String group = name("ack-g");

  @BeforeEach
  void requiresManualAck() {
    requires(Capability.MANUAL_ACK);
  }

  SubscriptionOptions manual() {
    return options().toBuilder().ackMode(AckMode.MANUAL).drainTimeout(Duration.ofMillis(200)).build();
  }

  /** Subscribes a second member after the first closed, and checks whether it gets {@code m}. */
  Recorder secondMember(Message m) {
    Recorder b = recorder();
    newClient().subscribe(topic, group, options(), b.handler("b"));
    Message marker = send(client(), Message.builder(topic).body("marker").build());
    b.awaitIds(List.of(marker.id()), DELIVERY);
    return b;
  }

  @Test
  @DisplayName("[ACK-1] optional (MANUAL_ACK): a message the handler acked is not redelivered")
  void anAckedMessageIsNotRedelivered() {
    Recorder a = recorder();
    Subscription s = newClient().subscribe(topic, group, manual(), a.handler("a", Delivery::ack));
    Message m = send(client(), Message.builder(topic).body("acked").build());
    a.awaitCount(1, DELIVERY);
    s.close();
    Recorder b = secondMember(m);
    b.assertNoMoreFor(Duration.ofMillis(1500));
    assertThat(b.of(m.id())).as("redeliveries of the acked message").isEmpty();
  }

  @Test
  @DisplayName("[ACK-2] optional (MANUAL_ACK): a message the handler did not ack goes to another member once the subscription closes")
  void anUnackedMessageIsRedeliveredAfterClose() {
    Recorder a = recorder();
    Subscription s = newClient().subscribe(topic, group, manual(), a.handler("a"));
    Message m = send(client(), Message.builder(topic).body("not-acked").build());
    a.awaitCount(1, DELIVERY);
    s.close();
    Recorder b = recorder();
    newClient().subscribe(topic, group, options(), b.handler("b"));
    b.awaitIds(List.of(m.id()), redeliveryTimeout().plus(DELIVERY));
  }

  @Test
  @DisplayName("[ACK-3] optional (MANUAL_ACK): acking twice is harmless")
  void ackingTwiceIsHarmless() {
    Recorder a = recorder();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    Subscription s = newClient().subscribe(topic, group, manual(), a.handler("a", d -> {
      try {
        d.ack();
        d.ack();
      } catch (RuntimeException e) {
        errors.add(e);
      }
    }));
    Message m = send(client(), Message.builder(topic).body("twice").build());
    a.awaitCount(1, DELIVERY);
    s.close();
    assertThat(errors).as("errors from the second ack").isEmpty();
    Recorder b = secondMember(m);
    b.assertNoMoreFor(Duration.ofMillis(500));
    assertThat(b.of(m.id())).isEmpty();
  }

  @Test
  @DisplayName("[ACK-4] optional (MANUAL_ACK, DEAD_LETTER): a manual-ack handler that throws is retried by policy")
  void aThrowingManualAckHandlerIsRetried() {
    requires(Capability.DEAD_LETTER);
    Recorder a = recorder();
    AtomicBoolean failed = new AtomicBoolean();
    client().subscribe(topic, group, manual(), a.handler("a", d -> {
      if (failed.compareAndSet(false, true)) {
        throw new IllegalStateException("tck: first attempt fails");
      }
      d.ack();
    }));
    Message m = send(client(), Message.builder(topic).body("retry").build());
    a.awaitDeliveries(m.id(), 2, retrySchedule(fastRetry()));
    assertThat(a.of(m.id())).extracting(Received::attempt).containsExactly(1, 2);
  }
}
