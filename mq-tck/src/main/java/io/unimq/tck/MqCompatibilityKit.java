package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import io.unimq.api.AckMode;
import io.unimq.api.Capability;
import io.unimq.api.DeadLetters;
import io.unimq.api.Delivery;
import io.unimq.api.IdempotencyStore;
import io.unimq.api.IdempotencyStore.Acquire;
import io.unimq.api.Idempotent;
import io.unimq.api.Message;
import io.unimq.api.MessageHandler;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.MqClosedException;
import io.unimq.api.MqConfigurationException;
import io.unimq.api.MqInvalidMessageException;
import io.unimq.api.MqUnsupportedException;
import io.unimq.api.Producer;
import io.unimq.api.RetryPolicy;
import io.unimq.api.SendReceipt;
import io.unimq.api.Subscription;
import io.unimq.api.SubscriptionOptions;
import io.unimq.api.TransactionState;
import io.unimq.api.TransactionalProducer;
import io.unimq.spi.Headers;
import io.unimq.tck.Recorder.Received;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules every unimq adapter passes. An adapter's test extends this class and says how to
 * connect; the kit does the rest:
 *
 * <pre>{@code
 * class KafkaCompatibilityTest extends MqCompatibilityKit {
 *   protected String uri() { return "kafka://127.0.0.1:19092"; }
 *   protected MqClient connect() { return Mq.connect(uri()); }
 * }
 * }</pre>
 *
 * <p>One {@link Nested} class per area; each rule has a stable id in its display name
 * ({@code [GRP-1] ...}). Areas of optional {@link Capability capabilities} the client does not
 * declare are reported as skipped, never as passed. Every topic and group name is unique to its
 * test, so the kit can run against a shared broker. Timeouts scale with one setting, see
 * {@link TckTimeouts}; adapters tune their promises with {@link #delayTolerance()},
 * {@link #transactionCheckTimeout()} and {@link #redeliveryTimeout()}.
 *
 * <p>The kit runs its tests one at a time (the JUnit default); it is not meant for parallel
 * execution within one JVM.
 */
public abstract class MqCompatibilityKit {
  private static final Logger log = LoggerFactory.getLogger(MqCompatibilityKit.class);

  /** Header carrying a label the kit uses to tell its messages apart. */
  static final String TAG = "tck-tag";
  /** How long an ordinary message may take from send to handler. */
  static final Duration DELIVERY = Duration.ofSeconds(10);
  /** How long the kit waits for a thousand messages to be handled. */
  static final Duration BULK = Duration.ofSeconds(30);
  /** How long the kit watches to prove that something does not happen. */
  static final Duration QUIET = Duration.ofSeconds(1);

  private final List<MqClient> clients = new CopyOnWriteArrayList<>();
  private final Deque<Runnable> cleanups = new ConcurrentLinkedDeque<>();
  private final ExecutorService background = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "unimq-tck-background");
    t.setDaemon(true);
    return t;
  });
  private volatile MqClient client;
  private volatile TckTimeouts timeouts;

  // ---------------------------------------------------------------- hooks for adapters

  /**
   * A new client of the broker under test. Each call must return a new client (the kit uses several
   * as several processes) of the same broker. The kit closes them after each test.
   */
  protected abstract MqClient connect();

  /** The URI {@link #connect()} uses; the kit derives bad URIs from it. */
  protected abstract String uri();

  /** How late a delayed message (and a retry after its backoff) may be. Default 1 s. */
  protected Duration delayTolerance() {
    return Duration.ofSeconds(1);
  }

  /** How long until an unknown or orphaned half message is resolved by a check-back. Default 30 s. */
  protected Duration transactionCheckTimeout() {
    return Duration.ofSeconds(30);
  }

  /** How long until a message left unacked by a closed consumer reaches another member. Default 30 s. */
  protected Duration redeliveryTimeout() {
    return Duration.ofSeconds(30);
  }

  /** The store the idempotency rules run against; override to check a Redis or JDBC store. */
  protected IdempotencyStore idempotencyStore() {
    return IdempotencyStore.inMemory();
  }

  /** The timeout scale; by default from {@link TckTimeouts#fromEnvironment()}. */
  protected TckTimeouts timeouts() {
    return TckTimeouts.fromEnvironment();
  }

  // ---------------------------------------------------------------- fixture

  /** The test's main client, opened on first use. */
  protected final MqClient client() {
    MqClient c = client;
    if (c == null) {
      c = newClient();
      client = c;
    }
    return c;
  }

  /** Another client of the same broker, as another process would have. */
  protected final MqClient newClient() {
    MqClient c = Objects.requireNonNull(connect(), "connect() returned null");
    clients.add(c);
    return c;
  }

  /** Runs {@code action} after the test, before its clients are closed (for example to open a gate). */
  protected final void onCleanup(Runnable action) {
    cleanups.push(action);
  }

  @AfterEach
  void closeWhatTheTestOpened() {
    for (Runnable r; (r = cleanups.poll()) != null; ) {
      try {
        r.run();
      } catch (RuntimeException e) {
        log.warn("tck cleanup action failed", e);
      }
    }
    for (MqClient c : clients) {
      try {
        c.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        log.warn("closing a {} client after the test failed (ignored)", c.scheme(), e);
      }
    }
    clients.clear();
    client = null;
    background.shutdownNow();
  }

  final TckTimeouts t() {
    TckTimeouts tt = timeouts;
    if (tt == null) {
      tt = Objects.requireNonNull(timeouts(), "timeouts() returned null");
      timeouts = tt;
    }
    return tt;
  }

  final Duration scaled(Duration d) {
    return t().scaled(d);
  }

  final Recorder recorder() {
    return new Recorder(t());
  }

  final void requires(Capability capability) {
    MqClient c = client();
    Assumptions.assumeTrue(c.supports(capability),
        () -> capability + " not declared by " + c.scheme() + "://; rules needing it are skipped");
  }

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
    return background.submit(task);
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

  // ================================================================ areas

  @Nested
  @DisplayName("Producing: what is sent arrives unchanged")
  public class Produce {
    final String topic = name("prod");
    final String group = name("prod-g");
    final Recorder r = recorder();

    Received roundTrip(Message m) {
      client().subscribe(topic, group, options(), r.handler("c"));
      send(client(), m);
      r.awaitIds(List.of(m.id()), DELIVERY);
      return r.of(m.id()).get(0);
    }

    @Test
    @DisplayName("[PROD-1] body, key, headers and id survive the round trip")
    void bodyKeyHeadersAndIdSurviveTheRoundTrip() {
      Message sent = Message.builder(topic).key("customer-7").header("type", "created").header("empty", "")
          .body("{\"order\":42}").build();
      Received got = roundTrip(sent);
      assertThat(got.id()).isEqualTo(sent.id());
      assertThat(got.topic()).isEqualTo(topic);
      assertThat(got.group()).isEqualTo(group);
      assertThat(got.key()).isEqualTo("customer-7");
      assertThat(got.message().body()).isEqualTo(sent.body());
      assertThat(userHeaders(got.message())).containsExactlyInAnyOrderEntriesOf(Map.of("type", "created", "empty", ""));
      assertThat(got.attempt()).isEqualTo(1);
    }

    @Test
    @DisplayName("[PROD-2] an empty body arrives as an empty body")
    void anEmptyBodyArrivesEmpty() {
      Received got = roundTrip(Message.builder(topic).body(new byte[0]).build());
      assertThat(got.message().body()).as("body").isNotNull().isEmpty();
    }

    @Test
    @DisplayName("[PROD-3] a 1 MiB body arrives intact")
    void aOneMebibyteBodyArrivesIntact() {
      int size = 1 << 20;
      Assumptions.assumeTrue(client().maxMessageSize() >= size + 4096,
          () -> client().scheme() + ":// declares a maximum message size of " + client().maxMessageSize() + " bytes");
      byte[] body = new byte[size];
      new Random(42).nextBytes(body);
      Received got = roundTrip(Message.builder(topic).body(body).build());
      assertThat(got.message().body()).as("body length").hasSize(size);
      assertThat(java.util.Arrays.equals(body, got.message().body())).as("1 MiB body identical byte for byte").isTrue();
    }

    @Test
    @DisplayName("[PROD-4] unicode in body, key and header values survives")
    void unicodeBodyKeyAndHeaderValuesSurvive() {
      String text = "héllo wörld — 你好 — Привет — 🚀";
      Received got = roundTrip(Message.builder(topic).key("clé-🔑").header("note", "ünïcödé ✓ 日本 🎉").body(text).build());
      assertThat(got.body()).isEqualTo(text);
      assertThat(got.key()).isEqualTo("clé-🔑");
      assertThat(got.header("note")).isEqualTo("ünïcödé ✓ 日本 🎉");
    }

    @Test
    @DisplayName("[PROD-5] sendAsync completes with a receipt carrying the message id")
    void sendAsyncCompletesWithAReceiptCarryingTheId() throws Exception {
      client().subscribe(topic, group, options(), r.handler("c"));
      Message m = Message.builder(topic).body("async").build();
      SendReceipt receipt = client().producer().sendAsync(m).toCompletableFuture()
          .get(scaled(DELIVERY).toMillis(), TimeUnit.MILLISECONDS);
      assertThat(receipt.messageId()).isEqualTo(m.id());
      assertThat(receipt.topic()).isEqualTo(topic);
      r.awaitIds(List.of(m.id()), DELIVERY);
    }

    @Test
    @DisplayName("[PROD-6] a batch send delivers every message and returns one receipt each, in order")
    void aBatchSendDeliversEveryMessage() {
      client().subscribe(topic, group, options(), r.handler("c"));
      List<Message> batch = IntStream.range(0, 50).mapToObj(i -> message(topic, "batch", i).build()).collect(Collectors.toList());
      List<SendReceipt> receipts = client().producer().sendBatch(batch);
      List<String> ids = batch.stream().map(Message::id).collect(Collectors.toList());
      assertThat(receipts).extracting(SendReceipt::messageId).containsExactlyElementsOf(ids);
      r.awaitIds(ids, DELIVERY);
      assertThat(r.distinctIds()).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    @DisplayName("[PROD-7] an id set by the user is kept")
    void anIdSetByTheUserIsKept() {
      String id = "order-42-" + name("id");
      Received got = roundTrip(Message.builder(topic).id(id).body("mine").build());
      assertThat(got.id()).isEqualTo(id);
    }

    @Test
    @DisplayName("[PROD-8] generated ids are unique and time-ordered for sequential sends")
    void generatedIdsAreUniqueAndTimeOrdered() {
      List<String> built = IntStream.range(0, 10_000).mapToObj(i -> Message.builder(topic).body("x").build().id())
          .collect(Collectors.toList());
      assertThat(built).doesNotHaveDuplicates().isSorted();
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        sent.add(client().producer().send(Message.builder(topic).body("x" + i).build()).messageId());
      }
      assertThat(sent).doesNotHaveDuplicates().isSorted();
      assertThat(sent.get(0)).as("an id generated after another").isGreaterThan(built.get(built.size() - 1));
    }

    @Test
    @DisplayName("[PROD-9] ids generated on many threads at once are unique")
    void idsGeneratedConcurrentlyAreUnique() {
      List<Future<List<String>>> futures = new ArrayList<>();
      for (int th = 0; th < 8; th++) {
        futures.add(inBackground(() -> IntStream.range(0, 5_000)
            .mapToObj(i -> Message.builder(topic).body("x").build().id()).collect(Collectors.toList())));
      }
      List<String> all = new ArrayList<>();
      futures.forEach(f -> all.addAll(join(f, DELIVERY)));
      assertThat(all).hasSize(40_000).doesNotHaveDuplicates();
    }
  }

  @Nested
  @DisplayName("Groups: one group shares the work, each group gets every message")
  public class Groups {
    final String topic = name("grp");

    /** Publishes a few messages at a time until every member of the group has had one. */
    void untilEveryMemberWorks(Recorder r, int members) {
      long deadline = System.nanoTime() + scaled(BULK).toNanos();
      int sent = 0;
      for (int round = 0; r.byConsumer().size() < members; round++) {
        if (System.nanoTime() > deadline) {
          fail("only %s of %d group members received messages within %s", r.byConsumer().keySet(), members, scaled(BULK));
        }
        sent += publish(client(), topic, members, "warm-up-" + round).size();
        r.awaitCount(sent, DELIVERY);
      }
    }

    @Test
    @DisplayName("[GRP-1] members of one group share the work: each message handled exactly once, by more than one member")
    void membersOfOneGroupShareTheWorkEachMessageOnce() {
      String group = name("grp-g");
      Recorder r = recorder();
      for (int i = 1; i <= 3; i++) {
        newClient().subscribe(topic, group, options(), r.handler("member-" + i, d -> work(Duration.ofMillis(1))));
      }
      untilEveryMemberWorks(r, 3);
      List<String> ids = publish(client(), topic, 1000, "work");
      r.awaitIds(ids, BULK);
      r.assertNoMoreFor(Duration.ofMillis(500));
      List<Received> work = tagged(r, "work");
      assertThat(r.duplicates()).as("messages handled more than once").isEmpty();
      assertThat(work).extracting(Received::id).containsExactlyInAnyOrderElementsOf(ids);
      Map<String, Long> perMember = work.stream().collect(Collectors.groupingBy(Received::consumer, Collectors.counting()));
      assertThat(perMember).as("messages per member").hasSizeGreaterThan(1);
    }

    @Test
    @DisplayName("[GRP-2] every group receives every message (fanout)")
    void everyGroupReceivesEveryMessage() {
      List<Recorder> groups = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        Recorder r = recorder();
        groups.add(r);
        newClient().subscribe(topic, name("grp-fan" + i), options(), r.handler("group-" + i));
      }
      List<String> ids = publish(client(), topic, 1000, "fanout");
      for (Recorder r : groups) {
        r.awaitIds(ids, BULK);
      }
      groups.get(0).assertNoMoreFor(Duration.ofMillis(500));
      for (int i = 0; i < groups.size(); i++) {
        Recorder r = groups.get(i);
        assertThat(r.duplicates()).as("group %d: messages delivered more than once", i + 1).isEmpty();
        assertThat(r.ids()).as("group %d", i + 1).containsExactlyInAnyOrderElementsOf(ids);
      }
    }

    @Test
    @DisplayName("[GRP-3] a declared group keeps messages while no consumer is online")
    void aDeclaredGroupKeepsMessagesWhileNoConsumerIsOnline() {
      String group = name("grp-decl");
      client().admin().declareGroup(topic, group);
      List<String> ids = publish(client(), topic, 20, "kept");
      Recorder r = recorder();
      newClient().subscribe(topic, group, options(), r.handler("late"));
      r.awaitIds(ids, DELIVERY);
      r.assertNoMoreFor(Duration.ofMillis(300));
      assertThat(r.ids()).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    @DisplayName("[GRP-4] a group declared after publishing never sees the messages published before")
    void aGroupDeclaredAfterPublishingNeverSeesOlderMessages() {
      String early = name("grp-early");
      String late = name("grp-late");
      client().admin().declareGroup(topic, early);
      List<String> before = publish(client(), topic, 10, "before");
      client().admin().declareGroup(topic, late);
      List<String> after = publish(client(), topic, 10, "after");
      Recorder control = recorder();
      Recorder r = recorder();
      newClient().subscribe(topic, early, options(), control.handler("early"));
      newClient().subscribe(topic, late, options(), r.handler("late"));
      List<String> all = new ArrayList<>(before);
      all.addAll(after);
      control.awaitIds(all, DELIVERY);
      r.awaitIds(after, DELIVERY);
      r.assertNoMoreFor(QUIET);
      assertThat(r.ids()).as("messages seen by the group declared after the first 10")
          .containsExactlyInAnyOrderElementsOf(after);
    }

    @Test
    @DisplayName("[GRP-5] a group's first subscription declares it: messages published while it is closed are kept")
    void aFirstSubscriptionDeclaresTheGroup() {
      String group = name("grp-sub");
      Recorder first = recorder();
      client().subscribe(topic, group, options(), first.handler("first")).close();
      List<String> ids = publish(client(), topic, 10, "while-away");
      Recorder second = recorder();
      newClient().subscribe(topic, group, options(), second.handler("second"));
      second.awaitIds(ids, DELIVERY);
      assertThat(first.count()).isZero();
    }
  }

  @Nested
  @DisplayName("Ordering: messages with the same key are handled one at a time, in send order")
  public class Ordering {
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
    @DisplayName("[ORD-1] messages with the same key arrive in send order (20 keys x 100, concurrency 8)")
    void messagesWithTheSameKeyArriveInOrder() {
      Recorder r = runOrdered(20, 100, 8);
      assertInSendOrder(r.seqsByKey(), keys(20), 100);
    }

    @Test
    @DisplayName("[ORD-2] two messages of one key are never handled at the same time")
    void handlersOfOneKeyNeverOverlap() {
      Recorder r = runOrdered(10, 50, 8);
      assertThat(r.sameKeyOverlaps()).as("handler starts while another handler of the same key ran").isZero();
    }

    @Test
    @DisplayName("[ORD-3] different keys are handled in parallel")
    void differentKeysAreHandledInParallel() {
      Recorder r = runOrdered(10, 50, 8);
      assertThat(r.maxConcurrent()).as("most handlers running at once with concurrency 8").isGreaterThan(1);
    }

    @Test
    @DisplayName("[ORD-4] two ordered members of one group keep per-key order")
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
    @DisplayName("[ORD-5] a retried keyed message holds back later messages of its key only")
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

  @Nested
  @DisplayName("Retry: a failing handler is retried by policy without holding up other messages")
  public class Retry {
    final String topic = name("retry");
    final String group = name("retry-g");
    final Recorder r = recorder();

    @BeforeEach
    void requiresRetry() {
      requires(Capability.DEAD_LETTER);
    }

    @Test
    @DisplayName("[RETRY-1] a handler failing twice then succeeding sees attempts 1, 2, 3, each after its backoff")
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
    @DisplayName("[RETRY-2] a failing message does not hold up others: 100 healthy ones pass before its second attempt")
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
    @DisplayName("[RETRY-3] an exception rejected by retryOn goes to the dead letters after one attempt")
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
    @DisplayName("[RETRY-4] a retried message keeps its id, key, headers and body")
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
    @DisplayName("[RETRY-5] a retry goes only to the group whose handler failed")
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
      healthy.assertNoMoreFor(Duration.ofMillis(500));
      assertThat(healthy.of(m.id())).as("deliveries to the healthy group").hasSize(1);
    }
  }

  @Nested
  @DisplayName("Dead letters: exhausted messages are kept with their failure, inspected, replayed and purged")
  public class DeadLetter {
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
    @DisplayName("[DLQ-1] an always failing message is delivered maxAttempts times, then dead-lettered exactly once")
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
    @DisplayName("[DLQ-2] a dead letter carries the original message and its failure headers")
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
    @DisplayName("[DLQ-3] replay returns a dead letter to its group with the same id and empties the dead letters")
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
    @DisplayName("[DLQ-4] purge removes every dead letter and says how many")
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
    @DisplayName("[DLQ-5] replay goes to that group only, not to other groups of the topic")
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
    @DisplayName("[DLQ-6] with dead letters off, an exhausted message is dropped")
    void withDeadLettersOffAnExhaustedMessageIsDropped() {
      client().subscribe(topic, group, options(policy).toBuilder().deadLetter(false).build(), failingUntilHealed("c"));
      Message m = send(client(), Message.builder(topic).body("poison").build());
      r.awaitDeliveries(m.id(), policy.maxAttempts(), retrySchedule(policy));
      r.assertNoMoreFor(policy.backoff(policy.maxAttempts()).plus(Duration.ofMillis(300)));
      assertThat(client().deadLetters(topic, group).count()).isZero();
      assertThat(r.of(m.id())).hasSize(policy.maxAttempts());
    }
  }

  @Nested
  @DisplayName("Delay: a delayed message is never early and late by at most the tolerance")
  public class Delay {
    final String topic = name("delay");
    final String group = name("delay-g");
    final Recorder r = recorder();

    @BeforeEach
    void requiresDelay() {
      requires(Capability.DELAY);
    }

    void assertOnTime(Received got, Instant due) {
      assertThat(got.at()).as("arrival of %s due at %s", got.id(), due)
          .isAfterOrEqualTo(due.minus(TckTimeouts.CLOCK_SLACK))
          .isBeforeOrEqualTo(due.plus(scaled(delayTolerance())));
    }

    @Test
    @DisplayName("[DELAY-1] a message delayed 2 s never arrives early and arrives within the tolerance")
    void aDelayedMessageIsNeverEarly() {
      client().subscribe(topic, group, options(), r.handler("c"));
      Message m = send(client(), Message.builder(topic).body("later").delay(Duration.ofSeconds(2)).build());
      r.awaitIds(List.of(m.id()), Duration.ofSeconds(2).plus(delayTolerance()).plus(DELIVERY));
      assertOnTime(r.of(m.id()).get(0), m.deliverAt());
    }

    @Test
    @DisplayName("[DELAY-2] 100 messages with shuffled due times arrive in due order, none early, all within the tolerance")
    void shuffledDueTimesArriveInDueOrder() {
      client().subscribe(topic, group, options(), r.handler("c"));
      Instant base = Instant.now().plusSeconds(1);
      List<Message> messages = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        messages.add(message(topic, "due", i).deliverAt(base.plusMillis(30L * i)).build());
      }
      Collections.shuffle(messages, new Random(7));
      Map<String, Instant> due = new ConcurrentHashMap<>();
      List<Future<SendReceipt>> sends = new ArrayList<>();
      for (Message m : messages) {
        due.put(m.id(), m.deliverAt());
        sends.add(client().producer().sendAsync(m).toCompletableFuture());
      }
      sends.forEach(f -> join(f, DELIVERY));
      r.awaitIds(due.keySet(), Duration.ofSeconds(4).plus(delayTolerance()).plus(DELIVERY));
      List<Received> got = r.all();
      got.forEach(x -> assertOnTime(x, due.get(x.id())));
      Duration tolerance = scaled(delayTolerance());
      for (int i = 0; i < got.size(); i++) {
        for (int j = i + 1; j < got.size(); j++) {
          Instant earlier = due.get(got.get(i).id());
          Instant later = due.get(got.get(j).id());
          assertThat(Duration.between(later, earlier))
              .as("%s (due %s) arrived before %s (due %s)", got.get(i).id(), earlier, got.get(j).id(), later)
              .isLessThan(tolerance);
        }
      }
    }

    @Test
    @DisplayName("[DELAY-3] a delayed message reaches no member of the group before it is due, then exactly one")
    void aDelayedMessageReachesNoMemberBeforeItIsDue() {
      client().subscribe(topic, group, options(), r.handler("a"));
      newClient().subscribe(topic, group, options(), r.handler("b"));
      Message delayed = send(client(), Message.builder(topic).body("later").delay(Duration.ofSeconds(2)).build());
      Message now = send(client(), Message.builder(topic).body("now").build());
      r.awaitIds(List.of(now.id()), DELIVERY);
      assertThat(r.of(delayed.id())).as("deliveries of the delayed message right after the immediate one").isEmpty();
      r.awaitIds(List.of(delayed.id()), Duration.ofSeconds(2).plus(delayTolerance()).plus(DELIVERY));
      r.assertNoMoreFor(Duration.ofMillis(500));
      assertThat(r.of(delayed.id())).as("deliveries of the delayed message").hasSize(1)
          .allSatisfy(x -> assertOnTime(x, delayed.deliverAt()));
    }

    @Test
    @DisplayName("[DELAY-4] a due time in the past delivers at once")
    void aDueTimeInThePastDeliversAtOnce() {
      client().subscribe(topic, group, options(), r.handler("c"));
      Message m = send(client(), Message.builder(topic).body("overdue").deliverAt(Instant.now().minusSeconds(3600)).build());
      r.awaitIds(List.of(m.id()), delayTolerance().plus(Duration.ofSeconds(2)));
    }

    @Test
    @DisplayName("[DELAY-5] a delayed message outlives the client that sent it")
    void aDelayedMessageOutlivesItsSender() {
      client().subscribe(topic, group, options(), r.handler("c"));
      MqClient sender = newClient();
      Message m = send(sender, Message.builder(topic).body("later").delay(Duration.ofSeconds(2)).build());
      sender.close(Duration.ofSeconds(5));
      r.awaitIds(List.of(m.id()), Duration.ofSeconds(2).plus(delayTolerance()).plus(DELIVERY));
      assertOnTime(r.of(m.id()).get(0), m.deliverAt());
    }
  }

  @Nested
  @DisplayName("Transactions: a half message is delivered only once committed")
  public class Transactions {
    final String topic = name("tx");
    final String group = name("tx-g");
    final String producerGroup = name("tx-pg");
    final Recorder r = recorder();
    final List<String> asked = new CopyOnWriteArrayList<>();

    @BeforeEach
    void requiresTransactions() {
      requires(Capability.TRANSACTIONS);
      client().subscribe(topic, group, options(), r.handler("c"));
    }

    /** A producer whose checker records what it is asked and answers with {@code answer}. */
    TransactionalProducer producer(MqClient c, Function<Message, TransactionState> answer) {
      return c.transactionalProducer(producerGroup, half -> {
        asked.add(half.id());
        return answer.apply(half);
      });
    }

    Duration checked() {
      return transactionCheckTimeout().plus(DELIVERY);
    }

    /** Bounded watch that a message stays undelivered: up to 5 s, or the check timeout if shorter. */
    Duration neverWindow() {
      Duration check = scaled(transactionCheckTimeout());
      return check.compareTo(Duration.ofSeconds(5)) < 0 ? check : Duration.ofSeconds(5);
    }

    @Test
    @DisplayName("[TX-1] a committed transaction is delivered and sendInTransaction returns COMMIT")
    void aCommittedTransactionIsDelivered() {
      Message m = Message.builder(topic).body("paid").build();
      AtomicReference<String> seenByLocal = new AtomicReference<>();
      TransactionState state = producer(client(), h -> TransactionState.UNKNOWN).sendInTransaction(m, half -> {
        seenByLocal.set(half.id());
        return TransactionState.COMMIT;
      });
      assertThat(state).isEqualTo(TransactionState.COMMIT);
      assertThat(seenByLocal.get()).as("id given to the local transaction").isEqualTo(m.id());
      r.awaitIds(List.of(m.id()), DELIVERY);
      assertThat(r.of(m.id()).get(0).body()).isEqualTo("paid");
    }

    @Test
    @DisplayName("[TX-2] a rolled back transaction is never delivered, and its checker is not asked")
    void aRolledBackTransactionIsNeverDelivered() {
      Message m = Message.builder(topic).body("cancelled").build();
      // A checker that would wrongly commit: if the engine ever asks it, the message is delivered.
      TransactionState state = producer(client(), h -> TransactionState.COMMIT)
          .sendInTransaction(m, half -> TransactionState.ROLLBACK);
      assertThat(state).isEqualTo(TransactionState.ROLLBACK);
      Message marker = send(client(), Message.builder(topic).body("marker").build());
      r.awaitIds(List.of(marker.id()), DELIVERY);
      r.assertNoMoreFor(neverWindow());
      assertThat(r.of(m.id())).as("deliveries of the rolled back message").isEmpty();
      assertThat(asked).as("check-backs").doesNotContain(m.id());
    }

    @Test
    @DisplayName("[TX-3] an UNKNOWN outcome is resolved by the checker: COMMIT delivers")
    void anUnknownOutcomeIsCommittedByTheChecker() {
      Message m = Message.builder(topic).body("maybe").build();
      AtomicLong answeredAt = new AtomicLong();
      TransactionalProducer p = producer(client(), half -> {
        answeredAt.compareAndSet(0, System.nanoTime());
        return TransactionState.COMMIT;
      });
      assertThat(p.sendInTransaction(m, half -> TransactionState.UNKNOWN)).isEqualTo(TransactionState.UNKNOWN);
      r.awaitIds(List.of(m.id()), checked());
      assertThat(asked).as("check-backs").contains(m.id());
      assertThat(r.of(m.id()).get(0).nanoTime()).as("delivered after the checker answered").isGreaterThan(answeredAt.get());
    }

    @Test
    @DisplayName("[TX-4] an UNKNOWN outcome is resolved by the checker: ROLLBACK never delivers")
    void anUnknownOutcomeIsRolledBackByTheChecker() {
      Message m = Message.builder(topic).body("maybe-not").build();
      TransactionalProducer p = producer(client(), half -> TransactionState.ROLLBACK);
      assertThat(p.sendInTransaction(m, half -> TransactionState.UNKNOWN)).isEqualTo(TransactionState.UNKNOWN);
      t().await("check-back of " + m.id(), checked()).untilAsserted(() -> assertThat(asked).contains(m.id()));
      r.assertNoMoreFor(Duration.ofSeconds(2));
      assertThat(r.of(m.id())).as("deliveries of the message the checker rolled back").isEmpty();
    }

    @Test
    @DisplayName("[TX-5] a local transaction that throws counts as UNKNOWN and the checker decides")
    void aThrowingLocalTransactionIsDecidedByTheChecker() {
      Message m = Message.builder(topic).body("crashed").build();
      TransactionalProducer p = producer(client(), half -> TransactionState.COMMIT);
      TransactionState state = p.sendInTransaction(m, half -> {
        throw new IllegalStateException("tck: local transaction crashed");
      });
      assertThat(state).isEqualTo(TransactionState.UNKNOWN);
      r.awaitIds(List.of(m.id()), checked());
      assertThat(asked).contains(m.id());
    }

    @Test
    @DisplayName("[TX-6] a half message left by a closed producer is resolved by another producer of the group")
    void anOrphanedHalfMessageIsResolvedByAnotherProducer() {
      Message m = Message.builder(topic).body("orphan").build();
      MqClient first = newClient();
      TransactionalProducer dying = first.transactionalProducer(producerGroup, half -> TransactionState.UNKNOWN);
      assertThat(dying.sendInTransaction(m, half -> TransactionState.UNKNOWN)).isEqualTo(TransactionState.UNKNOWN);
      first.close(Duration.ofSeconds(5));
      producer(newClient(), half -> half.id().equals(m.id()) ? TransactionState.COMMIT : TransactionState.UNKNOWN);
      r.awaitIds(List.of(m.id()), checked());
      assertThat(asked).as("check-backs answered by the second producer").contains(m.id());
      assertThat(r.of(m.id()).get(0).body()).isEqualTo("orphan");
    }

    @Test
    @DisplayName("[TX-7] a half message is invisible while its local transaction runs")
    void aHalfMessageIsInvisibleUntilCommitted() {
      Message m = Message.builder(topic).body("pending").build();
      CountDownLatch running = new CountDownLatch(1);
      CountDownLatch finish = gate();
      TransactionalProducer p = producer(client(), half -> TransactionState.UNKNOWN);
      Future<TransactionState> state = inBackground(() -> p.sendInTransaction(m, half -> {
        running.countDown();
        pass(finish);
        return TransactionState.COMMIT;
      }));
      t().await("local transaction started", DELIVERY).until(() -> running.getCount() == 0);
      r.assertNoMoreFor(QUIET);
      assertThat(r.of(m.id())).as("deliveries while the local transaction runs").isEmpty();
      finish.countDown();
      assertThat(join(state, DELIVERY)).isEqualTo(TransactionState.COMMIT);
      r.awaitIds(List.of(m.id()), DELIVERY);
    }

    @Test
    @DisplayName("[TX-8] a checker answering UNKNOWN is asked again later")
    void aCheckerAnsweringUnknownIsAskedAgain() {
      Message m = Message.builder(topic).body("undecided").build();
      AtomicInteger checks = new AtomicInteger();
      TransactionalProducer p = producer(client(),
          half -> checks.incrementAndGet() == 1 ? TransactionState.UNKNOWN : TransactionState.COMMIT);
      assertThat(p.sendInTransaction(m, half -> TransactionState.UNKNOWN)).isEqualTo(TransactionState.UNKNOWN);
      r.awaitIds(List.of(m.id()), transactionCheckTimeout().multipliedBy(2).plus(DELIVERY));
      assertThat(checks.get()).as("check-backs").isGreaterThanOrEqualTo(2);
    }
  }

  @Nested
  @DisplayName("Idempotency: a key processed once is not processed again")
  public class Idempotency {
    final String topic = name("idem");
    final String group = name("idem-g");
    final Recorder r = recorder();
    final AtomicInteger sideEffects = new AtomicInteger();
    final IdempotencyStore store = Objects.requireNonNull(idempotencyStore(), "idempotencyStore() returned null");

    @Test
    @DisplayName("[IDEM-1] the same id published twice has one side effect")
    void theSameIdPublishedTwiceHasOneSideEffect() {
      client().subscribe(topic, group, options().toBuilder().concurrency(1).build(),
          r.handler("c", Idempotent.wrap(d -> sideEffects.incrementAndGet(), store)));
      String id = name("idem-id");
      send(client(), Message.builder(topic).id(id).body("charge").build());
      send(client(), Message.builder(topic).id(id).body("charge").build());
      r.awaitDeliveries(id, 2, retrySchedule(fastRetry()));
      t().holdsFor("one side effect", QUIET, () -> assertThat(sideEffects.get()).as("side effects").isEqualTo(1));
    }

    @Test
    @DisplayName("[IDEM-2] a business key extractor deduplicates messages with different ids")
    void aBusinessKeyDeduplicatesDifferentIds() {
      String order = name("order");
      client().subscribe(topic, group, options().toBuilder().concurrency(1).build(),
          r.handler("c", Idempotent.wrap(d -> sideEffects.incrementAndGet(), store, m -> m.header("order"),
              Idempotent.DEFAULT_LEASE, Idempotent.DEFAULT_DONE_TTL)));
      Message a = send(client(), Message.builder(topic).header("order", order).body("ship").build());
      Message b = send(client(), Message.builder(topic).header("order", order).body("ship").build());
      assertThat(a.id()).isNotEqualTo(b.id());
      r.awaitIds(List.of(a.id(), b.id()), retrySchedule(fastRetry()));
      t().holdsFor("one side effect", QUIET, () -> assertThat(sideEffects.get()).as("side effects").isEqualTo(1));
    }

    @Test
    @DisplayName("[IDEM-3] a handler failure releases the key, so the retry processes it")
    void aFailureReleasesTheKeyForTheRetry() {
      requires(Capability.DEAD_LETTER);
      AtomicBoolean failed = new AtomicBoolean();
      client().subscribe(topic, group, options(), r.handler("c", Idempotent.wrap(d -> {
        if (failed.compareAndSet(false, true)) {
          throw new IllegalStateException("tck: first attempt fails");
        }
        sideEffects.incrementAndGet();
      }, store)));
      Message m = send(client(), Message.builder(topic).body("retry-me").build());
      r.awaitDeliveries(m.id(), 2, retrySchedule(fastRetry()));
      t().await("side effect of the retry", DELIVERY).until(() -> sideEffects.get() == 1);
      r.assertNoMoreFor(Duration.ofMillis(500));
      assertThat(r.of(m.id())).extracting(Received::attempt).containsExactly(1, 2);
      assertThat(sideEffects.get()).isEqualTo(1);
    }

    @Test
    @DisplayName("[IDEM-4] a key is held by one caller at a time until released")
    void aKeyIsHeldByOneCallerUntilReleased() {
      String key = name("idem-key");
      Duration lease = Duration.ofMinutes(1);
      assertThat(store.tryAcquire(key, lease)).isEqualTo(Acquire.ACQUIRED);
      assertThat(store.tryAcquire(key, lease)).isEqualTo(Acquire.IN_PROGRESS);
      store.release(key);
      assertThat(store.tryAcquire(key, lease)).isEqualTo(Acquire.ACQUIRED);
    }

    @Test
    @DisplayName("[IDEM-5] a key marked done is reported done")
    void aDoneKeyIsReportedDone() {
      String key = name("idem-key");
      assertThat(store.tryAcquire(key, Duration.ofMinutes(1))).isEqualTo(Acquire.ACQUIRED);
      store.markDone(key, Duration.ofMinutes(5));
      assertThat(store.tryAcquire(key, Duration.ofMinutes(1))).isEqualTo(Acquire.DONE);
    }

    @Test
    @DisplayName("[IDEM-6] a key whose lease ended can be taken over")
    void aKeyWhoseLeaseEndedCanBeTakenOver() {
      String key = name("idem-key");
      assertThat(store.tryAcquire(key, Duration.ofMillis(200))).isEqualTo(Acquire.ACQUIRED);
      t().await("lease of " + key + " to end", Duration.ofSeconds(5))
          .until(() -> store.tryAcquire(key, Duration.ofMinutes(1)) == Acquire.ACQUIRED);
    }

    @Test
    @DisplayName("[IDEM-7] of many callers racing for one key, exactly one acquires it")
    void exactlyOneOfManyRacingCallersAcquires() {
      String key = name("idem-key");
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Acquire>> racers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        racers.add(inBackground(() -> {
          start.await();
          return store.tryAcquire(key, Duration.ofMinutes(1));
        }));
      }
      start.countDown();
      List<Acquire> answers = racers.stream().map(f -> join(f, DELIVERY)).collect(Collectors.toList());
      assertThat(answers).filteredOn(a -> a == Acquire.ACQUIRED).hasSize(1);
      assertThat(answers).filteredOn(a -> a == Acquire.IN_PROGRESS).hasSize(7);
    }
  }

  @Nested
  @DisplayName("Lifecycle: closing drains, hands unacked messages to another member and refuses later use")
  public class Lifecycle {
    final String topic = name("life");
    final String group = name("life-g");

    SubscriptionOptions shortDrain() {
      return options().toBuilder().drainTimeout(Duration.ofMillis(200)).build();
    }

    void anotherMemberGetsEverythingAfter(java.util.function.Consumer<Subscription> leave, MqClient leaving) {
      CountDownLatch stuck = gate();
      Recorder a = recorder();
      Recorder b = recorder();
      Subscription sa = leaving.subscribe(topic, group, shortDrain(), a.handler("a", d -> pass(stuck)));
      List<String> ids = publish(client(), topic, 20, "unacked");
      a.awaitCount(1, DELIVERY);
      leave.accept(sa);
      newClient().subscribe(topic, group, options(), b.handler("b"));
      b.awaitIds(ids, redeliveryTimeout().plus(DELIVERY));
    }

    @Test
    @DisplayName("[LIFE-1] messages left unacked by a closed subscription go to another member of the group")
    void unackedMessagesOfAClosedSubscriptionGoToAnotherMember() {
      MqClient leaving = newClient();
      anotherMemberGetsEverythingAfter(s -> s.close(Duration.ofMillis(200)), leaving);
    }

    @Test
    @DisplayName("[LIFE-2] messages left unacked by a closed client go to another member of the group")
    void unackedMessagesOfAClosedClientGoToAnotherMember() {
      MqClient leaving = newClient();
      anotherMemberGetsEverythingAfter(s -> leaving.close(Duration.ofMillis(200)), leaving);
    }

    @Test
    @DisplayName("[LIFE-3] close waits for an in-flight handler, and the message it finished is acked")
    void closeDrainsInFlightHandlers() {
      Recorder a = recorder();
      AtomicBoolean finished = new AtomicBoolean();
      Subscription sa = newClient().subscribe(topic, group, options(), a.handler("a", d -> {
        work(Duration.ofMillis(500));
        finished.set(true);
      }));
      Message m = send(client(), Message.builder(topic).body("slow").build());
      a.awaitCount(1, DELIVERY);
      sa.close(Duration.ofSeconds(5));
      assertThat(finished).as("handler finished when close returned").isTrue();
      assertThat(sa.isClosed()).isTrue();
      Recorder b = recorder();
      newClient().subscribe(topic, group, options(), b.handler("b"));
      Message marker = send(client(), Message.builder(topic).body("marker").build());
      b.awaitIds(List.of(marker.id()), DELIVERY);
      b.assertNoMoreFor(Duration.ofMillis(1500));
      assertThat(b.of(m.id())).as("redeliveries of the drained message").isEmpty();
    }

    @Test
    @DisplayName("[LIFE-4] no message is acked before its handler finishes")
    void noMessageIsAckedBeforeItsHandlerFinishes() {
      CountDownLatch release = gate();
      Recorder a = recorder();
      client().admin().declareGroup(topic, group);
      client().subscribe(topic, group, options(), a.handler("a", d -> pass(release)));
      send(client(), Message.builder(topic).body("held").build());
      a.awaitCount(1, DELIVERY);
      awaitLag(client(), topic, group, 1, DELIVERY);
      t().holdsFor("lag stays 1 while the handler runs", Duration.ofMillis(500),
          () -> assertThat(client().admin().lag(topic, group)).as("lag while the handler runs").isEqualTo(1));
      release.countDown();
      awaitLag(client(), topic, group, 0, DELIVERY);
    }

    @Test
    @DisplayName("[LIFE-5] send after the client closed throws MqClosedException")
    void sendAfterCloseThrows() {
      MqClient c = newClient();
      Producer p = c.producer();
      c.close();
      assertThat(c.isClosed()).isTrue();
      assertThatThrownBy(() -> p.send(Message.builder(topic).body("late").build())).isInstanceOf(MqClosedException.class);
      assertThatThrownBy(() -> c.producer().send(Message.builder(topic).body("late").build()))
          .isInstanceOf(MqClosedException.class);
    }

    @Test
    @DisplayName("[LIFE-6] subscribe after the client closed throws MqClosedException")
    void subscribeAfterCloseThrows() {
      MqClient c = newClient();
      c.close();
      assertThatThrownBy(() -> c.subscribe(topic, group, options(), d -> {})).isInstanceOf(MqClosedException.class);
    }

    @Test
    @DisplayName("[LIFE-7] closing a subscription twice is harmless")
    void closingASubscriptionTwiceIsHarmless() {
      Subscription s = client().subscribe(topic, group, options(), d -> {});
      assertThat(s.isClosed()).isFalse();
      assertThat(s.topic()).isEqualTo(topic);
      assertThat(s.group()).isEqualTo(group);
      s.close();
      s.close();
      s.close(Duration.ZERO);
      assertThat(s.isClosed()).isTrue();
    }

    @Test
    @DisplayName("[LIFE-8] closing a client closes its subscriptions, and closing it twice is harmless")
    void closingAClientClosesItsSubscriptions() {
      MqClient c = newClient();
      Subscription s = c.subscribe(topic, group, options(), d -> {});
      c.close();
      c.close();
      assertThat(c.isClosed()).isTrue();
      assertThat(s.isClosed()).isTrue();
    }

    @Test
    @DisplayName("[LIFE-9] a closed subscription receives nothing more; the group's other member does")
    void aClosedSubscriptionReceivesNothingMore() {
      Recorder a = recorder();
      Recorder b = recorder();
      newClient().subscribe(topic, group, options(), a.handler("a")).close();
      newClient().subscribe(topic, group, options(), b.handler("b"));
      List<String> ids = publish(client(), topic, 10, "after-close");
      b.awaitIds(ids, DELIVERY);
      a.assertNoMoreFor(Duration.ofMillis(300));
      assertThat(a.count()).isZero();
    }

    @Test
    @DisplayName("[LIFE-10] inFlight counts messages fetched and not yet acked")
    void inFlightCountsUnackedMessages() {
      CountDownLatch release = gate();
      Recorder a = recorder();
      Subscription s = client().subscribe(topic, group, options(), a.handler("a", d -> pass(release)));
      send(client(), Message.builder(topic).body("held").build());
      a.awaitCount(1, DELIVERY);
      assertThat(s.inFlight()).as("in flight while the handler runs").isGreaterThanOrEqualTo(1);
      release.countDown();
      t().await("in flight back to 0", DELIVERY).untilAsserted(() -> assertThat(s.inFlight()).isZero());
    }
  }

  @Nested
  @DisplayName("Manual ack: what the handler acks is done, the rest comes back")
  public class ManualAck {
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
    @DisplayName("[ACK-1] a message the handler acked is not redelivered")
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
    @DisplayName("[ACK-2] a message the handler did not ack goes to another member once the subscription closes")
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
    @DisplayName("[ACK-3] acking twice is harmless")
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
    @DisplayName("[ACK-4] a manual-ack handler that throws is retried by policy")
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

  @Nested
  @DisplayName("Lag: what a group has not acked yet")
  public class Lag {
    final String topic = name("lag");
    final String group = name("lag-g");

    @Test
    @DisplayName("[LAG-1] 50 messages published to a declared group with no consumer make a lag of 50")
    void publishedMessagesCountAsLag() {
      client().admin().declareGroup(topic, group);
      publish(client(), topic, 50, "lag");
      awaitLag(client(), topic, group, 50, DELIVERY);
    }

    @Test
    @DisplayName("[LAG-2] consuming the messages brings the lag to 0")
    void consumingBringsTheLagToZero() {
      client().admin().declareGroup(topic, group);
      List<String> ids = publish(client(), topic, 50, "lag");
      awaitLag(client(), topic, group, 50, DELIVERY);
      Recorder r = recorder();
      newClient().subscribe(topic, group, options(), r.handler("c"));
      r.awaitIds(ids, DELIVERY);
      awaitLag(client(), topic, group, 0, DELIVERY);
    }

    @Test
    @DisplayName("[LAG-3] lag is counted per group")
    void lagIsCountedPerGroup() {
      String busy = name("lag-busy");
      client().admin().declareGroup(topic, group);
      client().admin().declareGroup(topic, busy);
      List<String> ids = publish(client(), topic, 20, "lag");
      Recorder r = recorder();
      newClient().subscribe(topic, busy, options(), r.handler("busy"));
      r.awaitIds(ids, DELIVERY);
      awaitLag(client(), topic, busy, 0, DELIVERY);
      awaitLag(client(), topic, group, 20, DELIVERY);
    }

    @Test
    @DisplayName("[LAG-4] a group declared after publishing has no lag")
    void aGroupDeclaredAfterPublishingHasNoLag() {
      client().admin().declareGroup(topic, name("lag-first"));
      publish(client(), topic, 10, "lag");
      client().admin().declareGroup(topic, group);
      awaitLag(client(), topic, group, 0, DELIVERY);
      t().holdsFor("lag stays 0", Duration.ofMillis(300),
          () -> assertThat(client().admin().lag(topic, group)).as("lag of the new group").isZero());
    }
  }

  @Nested
  @DisplayName("Bad input: rejected early with a typed exception and a clear message")
  public class BadInput {
    final String topic = name("bad");
    final String group = name("bad-g");

    /** Connects, keeping the client for cleanup should the connect wrongly succeed. */
    MqClient connectTo(String uri) {
      MqClient c = Mq.connect(uri);
      clients.add(c);
      return c;
    }

    void assertRejected(Message m) {
      assertThatThrownBy(() -> client().producer().send(m)).isInstanceOf(MqInvalidMessageException.class);
    }

    @Test
    @DisplayName("[BAD-1] an unknown scheme is a configuration error that names the artifact to add")
    void anUnknownSchemeNamesTheArtifact() {
      assertThatThrownBy(() -> connectTo("nosuch://x")).isInstanceOf(MqConfigurationException.class)
          .hasMessageContaining("nosuch")
          .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("io.unimq:mq-", "artifact"));
    }

    @ParameterizedTest(name = "[BAD-2] malformed URI \"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {"::nope", "kafka//x", "   ", "no-scheme-at-all"})
    @DisplayName("[BAD-2] a malformed URI is a configuration error")
    void aMalformedUriIsAConfigurationError(String uri) {
      assertThatThrownBy(() -> connectTo(uri)).isInstanceOf(MqConfigurationException.class);
    }

    @Test
    @DisplayName("[BAD-3] an unknown URI parameter is a configuration error naming it")
    void anUnknownParameterIsRejectedByName() {
      String uri = uri();
      String bad = uri + (uri.contains("?") ? "&" : "?") + "bogus=1";
      assertThatThrownBy(() -> connectTo(bad)).isInstanceOf(MqConfigurationException.class).hasMessageContaining("bogus");
    }

    @Test
    @DisplayName("[BAD-4] a null topic is rejected")
    void aNullTopicIsRejected() {
      assertRejected(Message.builder(null).body("x").build());
    }

    @Test
    @DisplayName("[BAD-5] a null body is rejected")
    void aNullBodyIsRejected() {
      assertRejected(Message.builder(topic).build());
    }

    @Test
    @DisplayName("[BAD-6] a message larger than maxMessageSize is rejected before the network")
    void anOversizedMessageIsRejected() {
      int max = client().maxMessageSize();
      Assumptions.assumeTrue(max > 0 && max <= 64 << 20, () -> "maxMessageSize " + max + " is too large to allocate in a test");
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
    @DisplayName("[BAD-7] sendAsync after the client closed fails with MqClosedException")
    void sendAsyncAfterCloseFails() {
      MqClient c = newClient();
      Producer p = c.producer();
      c.close();
      Throwable t = catchThrowable(() -> p.sendAsync(Message.builder(topic).body("late").build()).toCompletableFuture()
          .get(scaled(DELIVERY).toMillis(), TimeUnit.MILLISECONDS));
      assertThat(unwrap(t)).as("thrown or the failure of the returned stage").isInstanceOf(MqClosedException.class);
    }

    @ParameterizedTest(name = "[BAD-8] group \"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {"a b", "grp/1", "grp.1", "ünï"})
    @DisplayName("[BAD-8] a null, empty or illegal group name is rejected on subscribe")
    void anIllegalGroupIsRejected(String badGroup) {
      assertThatThrownBy(() -> client().subscribe(topic, badGroup, options(), d -> {}))
          .isInstanceOf(MqInvalidMessageException.class);
    }

    @Test
    @DisplayName("[BAD-9] a reserved unimq- header set by the user is rejected")
    void aReservedHeaderIsRejected() {
      assertThatThrownBy(() -> client().producer().send(Message.builder(topic).header("unimq-x", "1").body("x").build()))
          .isInstanceOf(MqInvalidMessageException.class).hasMessageContaining("unimq-x");
    }

    @ParameterizedTest(name = "[BAD-10] topic \"{0}\"")
    @ValueSource(strings = {"a b", "", "a/b", "a.b", "tópico", "a:b"})
    @DisplayName("[BAD-10] an illegal topic name is rejected on send")
    void anIllegalTopicIsRejectedOnSend(String badTopic) {
      assertRejected(Message.builder(badTopic).body("x").build());
    }

    @Test
    @DisplayName("[BAD-11] an illegal topic name is rejected on subscribe")
    void anIllegalTopicIsRejectedOnSubscribe() {
      assertThatThrownBy(() -> client().subscribe("a b", group, options(), d -> {}))
          .isInstanceOf(MqInvalidMessageException.class).hasMessageContaining("a b");
    }

    @Test
    @DisplayName("[BAD-12] names of 100 characters are accepted, 101 rejected")
    void namesLongerThan100AreRejected() {
      String hundred = (topic + "-" + "x".repeat(100)).substring(0, 100);
      assertThat(client().producer().send(Message.builder(hundred).body("x").build()).topic()).isEqualTo(hundred);
      assertRejected(Message.builder(hundred + "y").body("x").build());
    }

    @Test
    @DisplayName("[BAD-13] a capability is usable exactly when declared: an undeclared one throws MqUnsupportedException")
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
}
