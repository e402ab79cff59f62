package io.unimq.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.SubscriptionOptions;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.spi.MDCAdapter;

/**
 * The SLF4J MDC while handlers run, without an OpenTelemetry SDK: a handler sees its message's
 * {@code traceparent}, a message without one and a batch handler see none. The tests' binding
 * (slf4j-simple) has no MDC, so these tests put SLF4J's basic one in place.
 */
class TraceMdcTest {
  private static final String SAMPLED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private static MDCAdapter previous;
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  /** What MDC.get("traceparent") gave in each handler call, by message body ("null" for none). */
  private final Map<String, String> seen = new ConcurrentHashMap<>();

  @BeforeAll
  static void installAnMdc() throws Exception {
    previous = MDC.getMDCAdapter();
    setAdapter(new BasicMDCAdapter());
  }

  @AfterAll
  static void restore() throws Exception {
    setAdapter(previous);
  }

  private static void setAdapter(MDCAdapter adapter) throws Exception {
    Method set = MDC.class.getDeclaredMethod("setMDCAdapter", MDCAdapter.class);
    set.setAccessible(true);
    set.invoke(null, adapter);
  }

  @Test
  void aHandlerSeesItsMessagesTraceparentAndAMessageWithoutOneSeesNone() throws Exception {
    String topic = "orders-" + run;
    CountDownLatch done = new CountDownLatch(3);
    try (MqClient client = Mq.connect("memory://mdc-" + run)) {
      client.subscribe(topic, "billing", SubscriptionOptions.builder().concurrency(1).build(), d -> {
        seen.put(d.message().bodyAsString(), String.valueOf(MDC.get("traceparent")));
        done.countDown();
      });
      client.producer().send(Message.builder(topic).header("traceparent", SAMPLED).body("traced").build());
      client.producer().send(Message.builder(topic).body("plain").build());
      client.producer().send(Message.builder(topic).header("traceparent", "00-not-a-trace").body("malformed").build());
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(seen).containsEntry("traced", SAMPLED).containsEntry("plain", "null");
    assertThat(seen.get("malformed")).as("a malformed traceparent is shown as it came").isEqualTo("00-not-a-trace");
  }

  @Test
  void aBatchHandlerSeesNoTraceparent() throws Exception {
    String topic = "orders-" + run;
    CountDownLatch done = new CountDownLatch(1);
    try (MqClient client = Mq.connect("memory://mdc-" + run)) {
      client.subscribeBatch(topic, "batch", SubscriptionOptions.builder().batch(2, Duration.ofSeconds(2)).concurrency(1).build(),
          batch -> {
            seen.put("batch of " + batch.size(), String.valueOf(MDC.get("traceparent")));
            done.countDown();
          });
      client.producer().sendBatch(List.of(Message.builder(topic).header("traceparent", SAMPLED).body("o1").build(),
          Message.builder(topic).header("traceparent", SAMPLED).body("o2").build()));
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(seen).containsEntry("batch of 2", "null");
  }
}
