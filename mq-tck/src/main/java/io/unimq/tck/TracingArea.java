package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Capability;
import io.unimq.api.Message;
import io.unimq.api.MessageHandler;
import io.unimq.spi.Headers;
import io.unimq.tck.Recorder.Received;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@code Tracing} area's rules: W3C trace context ({@code traceparent}, {@code tracestate})
 * travels through the broker unchanged, a send from a handler continues the handled message's trace
 * with its trace flags, a malformed context is not continued, and a retry keeps the trace. (The
 * SLF4J MDC's {@code traceparent} is the engine's, the same for every adapter, and not a rule: the {@code slf4j-simple}
 * binding of adapters' tests has no MDC to observe.) The rules hold with or without the
 * OpenTelemetry API on the classpath (no SDK needed). Run as {@link MqCompatibilityKit.Tracing}.
 */
abstract class TracingArea extends KitArea {
  TracingArea(MqCompatibilityKit kit) {
    super(kit);
  }

  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String PARENT_ID = "00f067aa0ba902b7";
  static final String SAMPLED = "00-" + TRACE_ID + "-" + PARENT_ID + "-01";
  static final String UNSAMPLED = "00-" + TRACE_ID + "-" + PARENT_ID + "-00";
  static final String STATE = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7";
  private static final Pattern TRACEPARENT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

  final String topic = name("trace");
  final String downstream = name("trace-down");
  final Recorder r = recorder();
  final Recorder down = recorder();
  /** Sends a message to {@link #downstream} naming the handled one. */
  MessageHandler forwarding() {
    return d -> {
      client().producer().send(Message.builder(downstream).header("tck-from", d.message().id()).body("from " + d.id()).build());
    };
  }

  /** Subscribes {@link #forwarding()} to {@link #topic} and a recorder to {@link #downstream}. */
  void subscribeBoth(MessageHandler then) {
    client().subscribe(downstream, name("trace-down-g"), options(), down.handler("down"));
    client().subscribe(topic, name("trace-g"), options(), r.handler("c", then));
  }

  /** The (first) message the handler of {@code id} sent to {@link #downstream}, once it arrived. */
  Received downstreamOf(String id) {
    t().await("the message sent from the handler of " + id, DELIVERY).untilAsserted(() ->
        assertThat(down.all()).anyMatch(x -> id.equals(x.header("tck-from"))));
    return down.all().stream().filter(x -> id.equals(x.header("tck-from"))).findFirst().orElseThrow();
  }

  static void assertContinues(String child, String parent) {
    assertThat(child).as("traceparent of a send from the handler").isNotNull().matches(TRACEPARENT);
    assertThat(child.substring(3, 35)).as("trace id").isEqualTo(parent.substring(3, 35));
    assertThat(child.substring(36, 52)).as("parent id: a new one").isNotEqualTo(parent.substring(36, 52))
        .isNotEqualTo("0000000000000000");
    assertThat(child.substring(53)).as("trace flags").isEqualTo(parent.substring(53));
  }

  @Test
  @DisplayName("[TRC-1] required: a message sent with a traceparent and a tracestate arrives with both unchanged")
  void traceContextTravelsUnchanged() {
    client().subscribe(topic, name("trace-g"), options(), r.handler("c"));
    Message m = send(client(), Message.builder(topic).header(Headers.TRACEPARENT, SAMPLED).header(Headers.TRACESTATE, STATE)
        .body("traced").build());
    Received got = r.awaitDeliveries(m.id(), 1, DELIVERY).get(0);
    assertThat(got.header(Headers.TRACEPARENT)).as("traceparent").isEqualTo(SAMPLED);
    assertThat(got.header(Headers.TRACESTATE)).as("tracestate").isEqualTo(STATE);
  }

  @Test
  @DisplayName("[TRC-2] required: a send from a handler continues the handled message's trace: the same trace id, a new parent id, the same trace flags (sampled 01 and unsampled 00 alike) and the same tracestate")
  void aSendFromAHandlerContinuesTheTrace() {
    subscribeBoth(forwarding());
    Message sampled = send(client(), Message.builder(topic).header(Headers.TRACEPARENT, SAMPLED).header(Headers.TRACESTATE, STATE)
        .body("sampled").build());
    Received s = downstreamOf(sampled.id());
    assertContinues(s.header(Headers.TRACEPARENT), SAMPLED);
    assertThat(s.header(Headers.TRACESTATE)).as("tracestate").isEqualTo(STATE);

    Message unsampled = send(client(), Message.builder(topic).header(Headers.TRACEPARENT, UNSAMPLED).body("unsampled").build());
    Received u = downstreamOf(unsampled.id());
    assertContinues(u.header(Headers.TRACEPARENT), UNSAMPLED);
    assertThat(u.header(Headers.TRACEPARENT)).as("an unsampled trace stays unsampled").endsWith("-00");
  }

  @Test
  @DisplayName("[TRC-3] required: a message with a malformed traceparent is delivered with its headers as sent, and a send from its handler does not continue it")
  void aMalformedTraceparentIsNotContinued() {
    subscribeBoth(forwarding());
    String[] malformed = {
        "00-" + TRACE_ID + "-" + PARENT_ID, // no flags
        "00-00000000000000000000000000000000-" + PARENT_ID + "-01", // all-zero trace id
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-" + PARENT_ID + "-01", // upper case
        "not a traceparent"};
    for (int i = 0; i < malformed.length; i++) {
      Message m = send(client(), Message.builder(topic).header(Headers.TRACEPARENT, malformed[i]).body("bad " + i).build());
      Received got = r.awaitDeliveries(m.id(), 1, DELIVERY).get(0);
      assertThat(got.header(Headers.TRACEPARENT)).as("traceparent as sent").isEqualTo(malformed[i]);
      String child = downstreamOf(m.id()).header(Headers.TRACEPARENT);
      if (child != null) { // a tracer on the classpath may start a trace of its own
        assertThat(child).as("traceparent of a send from the handler of %s", malformed[i]).matches(TRACEPARENT)
            .doesNotContain(PARENT_ID).doesNotContain(TRACE_ID);
      }
    }
  }

  @Test
  @DisplayName("[TRC-4] optional (DEAD_LETTER): a retried delivery keeps the trace: each attempt arrives with the traceparent and tracestate as sent, and a send from the retry continues it")
  void aRetriedDeliveryKeepsTheTrace() {
    requires(Capability.DEAD_LETTER);
    MessageHandler forward = forwarding();
    subscribeBoth(d -> {
      if (d.attempt() == 1) {
        throw new IllegalStateException("tck: the first attempt fails");
      }
      forward.handle(d);
    });
    Message m = send(client(), Message.builder(topic).header(Headers.TRACEPARENT, UNSAMPLED).header(Headers.TRACESTATE, STATE)
        .body("retried").build());
    List<Received> got = r.awaitDeliveries(m.id(), 2, retrySchedule(fastRetry()));
    assertThat(got).extracting(Received::attempt).containsExactly(1, 2);
    assertThat(got).extracting(x -> x.header(Headers.TRACEPARENT)).as("traceparent of each attempt")
        .containsOnly(UNSAMPLED);
    assertThat(got).extracting(x -> x.header(Headers.TRACESTATE)).as("tracestate of each attempt").containsOnly(STATE);
    Received s = downstreamOf(m.id());
    assertContinues(s.header(Headers.TRACEPARENT), UNSAMPLED);
    assertThat(s.header(Headers.TRACESTATE)).as("tracestate").isEqualTo(STATE);
  }
}
