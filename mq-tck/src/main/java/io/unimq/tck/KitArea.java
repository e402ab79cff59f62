package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Capability;
import io.unimq.api.DeadLetters;
import io.unimq.api.Message;
import io.unimq.api.MqClient;
import io.unimq.api.RetryPolicy;
import io.unimq.api.SendReceipt;
import io.unimq.api.SubscriptionOptions;
import io.unimq.spi.Headers;
import io.unimq.tck.Recorder.Received;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * What every area of the kit builds on: the test's clients (through the kit's {@link KitFixture}),
 * the adapter's hooks, and the helpers the rules share. One instance per rule run, as JUnit makes
 * one instance of a nested class per test.
 *
 * <p>Each rule's display name starts with its id and whether it is required:
 * {@code [GRP-1] required: ...}, or {@code [ORD-1] optional (ORDERING): ...} for a rule that is
 * skipped when its condition does not hold. {@link #requires} checks that a rule needing a
 * capability is marked optional for it.
 */
abstract class KitArea {
  /** Header carrying a label the kit uses to tell its messages apart. */
  static final String TAG = "tck-tag";
  /** How long an ordinary message may take from send to handler. */
  static final Duration DELIVERY = Duration.ofSeconds(10);
  /** How long the kit waits for a thousand messages to be handled. */
  static final Duration BULK = Duration.ofSeconds(30);
  /** How long the kit watches to prove that something does not happen. */
  static final Duration QUIET = Duration.ofSeconds(1);

  final MqCompatibilityKit kit;
  private String rule = "";

  KitArea(MqCompatibilityKit kit) {
    this.kit = kit;
  }

  @BeforeEach
  final void rememberTheRule(TestInfo info) {
    rule = info.getTestMethod().map(KitArea::ruleName).orElse("");
  }

  /** The rule's display name as declared (a parameterized rule's pattern, not one case's name). */
  static String ruleName(Method m) {
    ParameterizedTest p = m.getAnnotation(ParameterizedTest.class);
    if (p != null && !p.name().isEmpty() && p.name().startsWith("[")) {
      return p.name();
    }
    DisplayName d = m.getAnnotation(DisplayName.class);
    return d == null ? m.getName() : d.value();
  }

  // ---------------------------------------------------------------- the adapter under test

  final MqClient client() {
    return kit.client();
  }

  final MqClient newClient() {
    return kit.newClient();
  }

  /** Keeps {@code c} (opened by the rule itself) to be closed after the test. */
  final void track(MqClient c) {
    kit.fixture.track(c);
  }

  final void onCleanup(Runnable action) {
    kit.onCleanup(action);
  }

  final String uri() {
    return kit.uri();
  }

  final Duration delayTolerance() {
    return kit.delayTolerance();
  }

  final Duration transactionCheckTimeout() {
    return kit.transactionCheckTimeout();
  }

  final Duration redeliveryTimeout() {
    return kit.redeliveryTimeout();
  }

  final TckTimeouts t() {
    return kit.fixture.timeouts();
  }

  final Duration scaled(Duration d) {
    return t().scaled(d);
  }

  final Recorder recorder() {
    return new Recorder(t());
  }

  /**
   * Skips the rule (a JUnit assumption, reported as skipped) unless the client declares
   * {@code capability}. Only an optional rule may need one: its display name says
   * {@code optional (...CAPABILITY...)}.
   */
  final void requires(Capability capability) {
    if (!rule.matches("\\[[A-Z]+-\\d+\\] optional \\([^)]*\\b" + capability.name() + "\\b.*")) {
      throw new IllegalStateException("mq-tck bug: rule \"" + rule + "\" needs " + capability
          + " but its display name does not mark it \"optional (" + capability + ")\"");
    }
    MqClient c = client();
    Assumptions.assumeTrue(c.supports(capability),
        () -> capability + " not declared by " + c.scheme() + "://; rules needing it are skipped");
  }

  /**
   * Skips the rule unless {@code holds} (a condition other than a capability, such as the client's
   * maximum message size). Only an optional rule may be skipped.
   */
  final void requires(boolean holds, Supplier<String> why) {
    if (!rule.matches("\\[[A-Z]+-\\d+\\] optional \\(.*")) {
      throw new IllegalStateException("mq-tck bug: rule \"" + rule + "\" may be skipped but is not marked optional");
    }
    Assumptions.assumeTrue(holds, why);
  }

  // ---------------------------------------------------------------- helpers

  static String name(String area) {
    return TckNames.unique(area);
  }

  static RetryPolicy fastRetry() {
    return RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(300)).multiplier(2)
        .maxBackoff(Duration.ofSeconds(2)).build();
  }

  static SubscriptionOptions options() {
    return options(fastRetry());
  }

  static SubscriptionOptions options(RetryPolicy policy) {
    return SubscriptionOptions.builder().retryPolicy(policy).drainTimeout(Duration.ofSeconds(5)).build();
  }

  static Message.Builder message(String topic, String tag, int seq) {
    return Message.builder(topic).header(TAG, tag).header(Recorder.SEQ, Integer.toString(seq)).body(tag + "-" + seq);
  }

  /** Sends {@code n} messages tagged {@code tag} in batches of 100; returns their ids in order. */
  static List<String> publish(MqClient c, String topic, int n, String tag) {
    List<Message> all = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      all.add(message(topic, tag, i).build());
    }
    for (int from = 0; from < n; from += 100) {
      c.producer().sendBatch(all.subList(from, Math.min(n, from + 100)));
    }
    return all.stream().map(Message::id).collect(Collectors.toList());
  }

  static Message send(MqClient c, Message m) {
    SendReceipt receipt = c.producer().send(m);
    assertThat(receipt.messageId()).as("receipt id of %s", m).isEqualTo(m.id());
    return m;
  }

  /**
   * Sends {@code perKey} messages for each key, in order per key (one synchronous send after the
   * other), keys in parallel. Bodies are {@code key:seq} and {@link Recorder#SEQ} is the number.
   */
  final List<String> publishKeyed(MqClient c, String topic, List<String> keys, int perKey) {
    List<Future<List<String>>> futures = new ArrayList<>();
    for (String key : keys) {
      futures.add(inBackground(() -> {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < perKey; i++) {
          Message m = Message.builder(topic).key(key).header(Recorder.SEQ, Integer.toString(i)).body(key + ":" + i).build();
          c.producer().send(m);
          ids.add(m.id());
        }
        return ids;
      }));
    }
    List<String> ids = new ArrayList<>();
    for (Future<List<String>> f : futures) {
      ids.addAll(join(f, BULK));
    }
    return ids;
  }

  final <T> Future<T> inBackground(Callable<T> task) {
    return kit.fixture.inBackground(task);
  }

  final <T> T join(Future<T> f, Duration atMost) {
    try {
      return f.get(scaled(atMost).toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("background task failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError("background task did not finish within " + scaled(atMost), e);
    }
  }

  /** A gate handlers wait on; opened at the latest when the test ends. */
  final CountDownLatch gate() {
    CountDownLatch gate = new CountDownLatch(1);
    onCleanup(gate::countDown);
    return gate;
  }

  static void pass(CountDownLatch gate) throws InterruptedException {
    if (!gate.await(2, TimeUnit.MINUTES)) {
      throw new IllegalStateException("tck: gate not opened within 2 minutes");
    }
  }

  /** Simulated work inside a handler (not a synchronization). */
  static void work(Duration d) throws InterruptedException {
    Thread.sleep(d.toMillis());
  }

  /** User headers only: without {@code unimq-} ones and the trace context the engine may add. */
  static Map<String, String> userHeaders(Message m) {
    Map<String, String> out = new LinkedHashMap<>(m.headers());
    out.keySet().removeIf(h -> h.startsWith(Message.RESERVED_HEADER_PREFIX) || h.equals(Headers.TRACEPARENT));
    return out;
  }

  static List<Received> tagged(Recorder r, String tag) {
    return r.all().stream().filter(x -> tag.equals(x.header(TAG))).collect(Collectors.toList());
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  static long millisBetween(Received earlier, Received later) {
    return TimeUnit.NANOSECONDS.toMillis(later.nanoTime() - earlier.nanoTime());
  }

  /** Asserts that the gap between two deliveries is no shorter than {@code backoff} and not much longer. */
  final void assertGap(Received earlier, Received later, Duration backoff) {
    long gap = millisBetween(earlier, later);
    long min = backoff.minus(TckTimeouts.CLOCK_SLACK).toMillis();
    long max = backoff.plus(scaled(delayTolerance())).plus(scaled(Duration.ofMillis(500))).toMillis();
    assertThat(gap).as("ms between attempt %d and attempt %d (backoff %s)", earlier.attempt(), later.attempt(), backoff)
        .isBetween(min, max);
  }

  /** Waits until {@code group} of {@code topic} has exactly {@code expected} dead letters. */
  final DeadLetters awaitDeadLetters(MqClient c, String topic, String group, long expected, Duration atMost) {
    DeadLetters dl = c.deadLetters(topic, group);
    t().await("dead letters of " + group, atMost).untilAsserted(() ->
        assertThat(dl.count()).as("dead letters of %s/%s", topic, group).isEqualTo(expected));
    return dl;
  }

  final void awaitLag(MqClient c, String topic, String group, long expected, Duration atMost) {
    t().await("lag of " + group, atMost).untilAsserted(() ->
        assertThat(c.admin().lag(topic, group)).as("lag of %s/%s", topic, group).isEqualTo(expected));
  }

  /** Time for a whole retry schedule to play out, with the adapter's tolerance per attempt. */
  final Duration retrySchedule(RetryPolicy p) {
    Duration d = DELIVERY;
    for (int n = 1; n < p.maxAttempts(); n++) {
      d = d.plus(p.backoff(n)).plus(delayTolerance());
    }
    return d;
  }
}
