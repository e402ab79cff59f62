package io.unimq.tck;

import io.unimq.api.Capability;
import io.unimq.api.Delivery;
import io.unimq.api.IdempotencyStore;
import io.unimq.api.Idempotent;
import io.unimq.api.Message;
import io.unimq.api.MessageHandler;
import io.unimq.api.MqClient;
import io.unimq.api.MqException;
import io.unimq.api.MqSendException;
import io.unimq.api.RetryPolicy;
import io.unimq.api.SubscriptionOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of one fault: the workload (a producer sending with confirms; an unordered group behind
 * {@link Idempotent} with messages in retry; an ordered group; delayed messages due during the
 * fault), the fault in the middle, and the {@link FaultLedger} of what happened.
 */
final class FaultRun {
  private static final Logger log = LoggerFactory.getLogger(MqFaultKit.class);
  private static final int KEYS = 8;
  private static final int WINDOW = 64;
  static final int RETRY_FAILURES = 2;
  private static final RetryPolicy RETRY = RetryPolicy.builder().maxAttempts(6)
      .initialBackoff(Duration.ofSeconds(1)).multiplier(2).maxBackoff(Duration.ofSeconds(8)).build();
  private static final String SEQ = "fk-seq";
  private static final String FAIL = "fk-fail";

  private record Sent(long seq, String key, Instant deliverAt, boolean retried, long startNanos) {}

  private final MqFaultKit kit;
  private final MqFaultKit.Fault fault;
  private final MqFaultKit.Settings settings;
  private final Random random;
  private final FaultLedger ledger = new FaultLedger();

  private final Map<String, Sent> sent = new ConcurrentHashMap<>();
  private final Map<String, Long> confirmedAt = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> unorderedCalls = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> sideEffects = new ConcurrentHashMap<>();
  private final Map<String, Long> firstUnorderedWall = new ConcurrentHashMap<>();
  private final Map<String, Long> firstUnorderedNanos = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> orderedCalls = new ConcurrentHashMap<>();
  private final Map<String, Long> firstOrderedWall = new ConcurrentHashMap<>();
  private final Map<String, List<Long>> orderedFirstSeqs = new ConcurrentHashMap<>();
  private final AtomicLong unsettled = new AtomicLong();
  private volatile long faultEndNanos = Long.MAX_VALUE;
  private long faultStartNanos;
  private long producingStoppedNanos;

  FaultRun(MqFaultKit kit, MqFaultKit.Fault fault, MqFaultKit.Settings settings, long seed) {
    this.kit = kit;
    this.fault = fault;
    this.settings = settings;
    this.random = new Random(seed);
    ledger.broker = kit.broker();
    ledger.fault = fault.id();
    ledger.mode = settings.mode();
    ledger.seed = seed;
    ledger.retryAttemptsExpected = RETRY_FAILURES + 1;
  }

  FaultLedger run(List<MqClient> opened) throws Exception {
    long t0 = System.nanoTime();
    String topic = TckNames.unique("flt");
    String unorderedGroup = topic + "-u";
    String orderedGroup = topic + "-o";
    MqClient producerClient = track(opened, beforeTheFault(() -> kit.connect(fault)));
    MqClient consumerClient = track(opened, beforeTheFault(() -> kit.connect(fault)));
    boolean delay = producerClient.supports(Capability.DELAY);
    boolean retry = consumerClient.supports(Capability.DEAD_LETTER);
    boolean ordering = consumerClient.supports(Capability.ORDERING);
    ledger.orderedChecked = ordering;
    IdempotencyStore store = kit.idempotencyStore();
    ledger.store = kit.idempotencyStoreName();

    producerClient.admin().declareTopic(topic);
    consumerClient.admin().declareGroup(topic, unorderedGroup);
    consumerClient.admin().declareGroup(topic, orderedGroup, ordering);
    MessageHandler sideEffect = d -> {
      if (d.header(FAIL) != null && d.attempt() <= RETRY_FAILURES) {
        throw new IllegalStateException("fault kit: attempt " + d.attempt() + " of a message in retry fails on purpose");
      }
      sideEffects.computeIfAbsent(d.id(), k -> new AtomicInteger()).incrementAndGet();
    };
    MessageHandler idempotent = Idempotent.wrap(sideEffect, store);
    beforeTheFault(() -> consumerClient.subscribe(topic, unorderedGroup, SubscriptionOptions.builder().concurrency(4)
        .retryPolicy(retry ? RETRY : RetryPolicy.DEFAULT).build(), d -> {
          long now = System.nanoTime();
          long wall = System.currentTimeMillis();
          if (unorderedCalls.computeIfAbsent(d.id(), k -> new AtomicInteger()).incrementAndGet() == 1) {
            firstUnorderedWall.put(d.id(), wall);
            firstUnorderedNanos.put(d.id(), now);
          }
          idempotent.handle(d);
        }));
    beforeTheFault(() -> consumerClient.subscribe(topic, orderedGroup,
        SubscriptionOptions.builder().ordered(ordering).concurrency(4).build(), this::onOrdered));
    FaultHalfWorkload halves = producerClient.supports(Capability.TRANSACTIONS)
        ? new FaultHalfWorkload(topic + "-tx", ledger.seed) : null;
    if (halves != null) {
      beforeTheFault(() -> {
        halves.subscribe(consumerClient);
        return halves;
      });
    }

    Semaphore window = new Semaphore(WINDOW);
    AtomicReference<Boolean> stop = new AtomicReference<>(false);
    Thread producer = new Thread(() -> produce(producerClient, topic, delay, retry, window, stop), "unimq-fault-producer");
    producer.setDaemon(true);
    producer.start();
    if (halves != null) { // like delayed messages: sent until the fault ends, to be resolved while it lasts
      halves.start(producerClient, () -> !stop.get() && System.nanoTime() < faultEndNanos);
    }
    try {
      holdFor(settings.warmup());
      faultStartNanos = System.nanoTime();
      log.info("fault kit: {} on {} (seed {}) begins", fault.id(), ledger.broker, ledger.seed);
      if (fault == MqFaultKit.Fault.NODE_KILL) {
        ledger.node = kit.injectNodeKill(settings, topic, unorderedGroup);
      } else {
        kit.inject(fault, settings);
      }
      faultEndNanos = System.nanoTime();
      ledger.faultSeconds = (faultEndNanos - faultStartNanos) / 1e9;
      log.info("fault kit: {} on {} ended after {} s", fault.id(), ledger.broker, ledger.faultSeconds);
      long resumeDeadline = faultEndNanos + settings.resumeTimeout().toNanos();
      long afterMin = faultEndNanos + settings.after().toNanos();
      while (System.nanoTime() < resumeDeadline
          && (System.nanoTime() < afterMin || sendsResumed() < 0 || consumptionResumed() < 0)) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
    } finally {
      stop.set(true);
      producingStoppedNanos = System.nanoTime();
      producer.join(TimeUnit.SECONDS.toMillis(30));
      if (halves != null) {
        halves.stop();
      }
    }
    log.info("fault kit: producing stopped at {} s: {} sent, {} confirmed", secondsSince(t0), ledger.sent, confirmedAt.size());
    // every send settles (confirmed or failed) within the settle timeout, or counts as unsettled
    if (!window.tryAcquire(WINDOW, settings.settleTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
      unsettled.set(WINDOW - window.availablePermits());
    }
    log.info("fault kit: sends settled at {} s", secondsSince(t0));
    long drainDeadline = System.nanoTime() + settings.drainTimeout().toNanos();
    while (System.nanoTime() < drainDeadline && !(allArrived() && (halves == null || halves.allArrived()))) {
      TimeUnit.MILLISECONDS.sleep(200);
    }
    log.info("fault kit: {} at {} s", allArrived() ? "everything arrived" : "drain timed out", secondsSince(t0));
    holdFor(Duration.ofMillis(500)); // late duplicates
    if (!allArrived()) {
      // what the broker still holds for the groups tells messages late from messages lost
      ledger.lagAtEndUnordered = lagOf(consumerClient, topic, unorderedGroup);
      ledger.lagAtEndOrdered = lagOf(consumerClient, topic, orderedGroup);
    }
    Set<String> deadIds = new HashSet<>();
    if (retry) {
      try {
        for (Message m : consumerClient.deadLetters(topic, unorderedGroup).peek(10_000)) {
          deadIds.add(m.id());
        }
      } catch (MqException e) {
        log.warn("fault kit: cannot read the dead letters of {}", unorderedGroup, e);
      }
    }
    ledger.runSeconds = (System.nanoTime() - t0) / 1e9;
    account(deadIds);
    if (halves != null) {
      halves.account(ledger);
      halves.close();
    }
    return ledger;
  }

  /**
   * Setting up happens before any fault: a connection error then (a slow or busy machine) is not
   * what the run measures, so it is tried up to 3 times.
   */
  private static <T> T beforeTheFault(java.util.function.Supplier<T> step) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return step.get();
      } catch (io.unimq.api.MqConnectionException e) {
        if (attempt == 3) {
          throw e;
        }
        log.warn("fault kit: setting up failed before the fault (attempt {} of 3), trying again: {}", attempt, e.getMessage());
        TimeUnit.SECONDS.sleep(2);
      }
    }
  }

  private static long lagOf(MqClient client, String topic, String group) {
    try {
      return client.admin().lag(topic, group);
    } catch (MqException e) {
      log.warn("fault kit: cannot read the lag of {}", group, e);
      return -1;
    }
  }

  private static String secondsSince(long t0) {
    return String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9);
  }

  private static MqClient track(List<MqClient> opened, MqClient c) {
    opened.add(c);
    return c;
  }

  private void onOrdered(Delivery d) {
    long wall = System.currentTimeMillis();
    if (orderedCalls.computeIfAbsent(d.id(), k -> new AtomicInteger()).incrementAndGet() == 1) {
      firstOrderedWall.put(d.id(), wall);
      String seq = d.header(SEQ);
      if (seq != null && d.key() != null) {
        orderedFirstSeqs.computeIfAbsent(d.key(), k -> Collections.synchronizedList(new ArrayList<>()))
            .add(Long.parseLong(seq));
      }
    }
  }

  private void produce(MqClient client, String topic, boolean delay, boolean retry, Semaphore window,
      AtomicReference<Boolean> stop) {
    long interval = 1_000_000_000L / settings.rate();
    long next = System.nanoTime();
    Duration delayBy = settings.warmup().plus(settings.faultDuration().dividedBy(2));
    for (long seq = 0; !stop.get(); seq++) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException e) {
          return;
        }
      }
      next = Math.max(next + interval, System.nanoTime() - interval);
      try {
        while (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          if (stop.get()) {
            return;
          }
        }
      } catch (InterruptedException e) {
        return;
      }
      String key = "k" + random.nextInt(KEYS);
      double r = random.nextDouble();
      // delayed messages and messages in retry only until the fault ends: they are there to be due
      // (or retried) while it lasts, and later ones would only make the run longer
      boolean early = System.nanoTime() < faultEndNanos;
      boolean delayed = early && delay && r < 0.08;
      boolean retried = early && retry && !delayed && r < 0.13;
      Message.Builder b = Message.builder(topic).key(key).header(SEQ, Long.toString(seq)).body("fault-" + seq);
      Instant deliverAt = null;
      if (delayed) {
        deliverAt = Instant.now().plus(delayBy);
        b.deliverAt(deliverAt);
      }
      if (retried) {
        b.header(FAIL, Integer.toString(RETRY_FAILURES));
      }
      Message m = b.build();
      long start = System.nanoTime();
      sent.put(m.id(), new Sent(seq, key, deliverAt, retried, start));
      ledger.sent++;
      try {
        client.producer().sendAsync(m).whenComplete((receipt, error) -> {
          try {
            if (error == null) {
              confirmedAt.put(m.id(), System.nanoTime());
            } else {
              failed(error);
            }
          } finally {
            window.release();
          }
        });
      } catch (RuntimeException e) {
        failed(e);
        window.release();
      }
    }
  }

  private synchronized void failed(Throwable error) {
    Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    String name = e.getClass().getSimpleName();
    if (e instanceof MqException) {
      ledger.failedTyped++;
      if (e instanceof MqSendException s && s.outcomeUnknown()) {
        ledger.failedOutcomeUnknown++;
        name += " (outcome unknown)";
      }
    } else {
      ledger.failedUntyped++;
    }
    ledger.failures.merge(name, 1L, Long::sum);
  }

  private double sendsResumed() {
    long end = faultEndNanos;
    long best = Long.MAX_VALUE;
    for (Map.Entry<String, Long> e : confirmedAt.entrySet()) {
      Sent s = sent.get(e.getKey());
      if (s != null && s.startNanos >= end && e.getValue() < best) {
        best = e.getValue();
      }
    }
    return best == Long.MAX_VALUE ? -1 : (best - end) / 1e9;
  }

  private double consumptionResumed() {
    long end = faultEndNanos;
    long best = Long.MAX_VALUE;
    for (Map.Entry<String, Long> e : firstUnorderedNanos.entrySet()) {
      Sent s = sent.get(e.getKey());
      if (s != null && s.deliverAt == null && s.startNanos >= end && e.getValue() < best) {
        best = e.getValue();
      }
    }
    return best == Long.MAX_VALUE ? -1 : (best - end) / 1e9;
  }

  private boolean allArrived() {
    for (String id : confirmedAt.keySet()) {
      if (!sideEffects.containsKey(id) || !orderedCalls.containsKey(id)) {
        return false;
      }
    }
    return true;
  }

  private void account(Set<String> deadIds) {
    ledger.confirmed = confirmedAt.size();
    if (unsettled.get() > 0) {
      ledger.failures.merge("unsettled after " + settings.settleTimeout().toSeconds() + " s", unsettled.get(), Long::sum);
    }
    ledger.deadLettered = deadIds.size();
    List<Double> lateness = new ArrayList<>();
    int minAttempts = Integer.MAX_VALUE;
    int maxAttempts = 0;
    Set<String> lostIds = new java.util.TreeSet<>();
    for (String id : confirmedAt.keySet()) {
      if (lostByUnordered(id, deadIds) || lostByOrdered(id)) {
        lostIds.add(id);
      }
    }
    Map<String, String> brokerRecorded = lostIds.isEmpty() ? Map.of() : kit.lossesTheBrokerRecorded(fault, Set.copyOf(lostIds));
    for (String id : confirmedAt.keySet()) {
      Sent s = sent.get(id);
      boolean lostU = lostByUnordered(id, deadIds);
      boolean lostO = lostByOrdered(id);
      if (lostU) {
        ledger.lostUnordered++;
      }
      if (lostO) {
        ledger.lostOrdered++;
      }
      String recorded = brokerRecorded.get(id);
      if (recorded != null && (lostU || lostO)) {
        ledger.lostByBroker += (lostU ? 1 : 0) + (lostO ? 1 : 0);
        ledger.lostByBrokerReasons.add(recorded);
      }
      if ((lostU || lostO) && ledger.lostSample.size() < 10) {
        ledger.lostSample.add(String.format(java.util.Locale.ROOT,
            "%s seq %d key %s%s%s sent %+.1f s and confirmed %+.1f s from the fault's end; lost by %s", id, s.seq, s.key,
            s.deliverAt != null ? " delayed" : "", s.retried ? " in retry" : "", (s.startNanos - faultEndNanos) / 1e9,
            (confirmedAt.get(id) - faultEndNanos) / 1e9, lostU && lostO ? "both groups" : lostU ? "the unordered group" : "the ordered group")
            + (recorded != null ? "; the broker recorded dropping it: " + recorded : ""));
      }
      AtomicInteger se = sideEffects.get(id);
      if (se != null && se.get() > 1) {
        ledger.duplicateSideEffects++;
      }
      AtomicInteger calls = unorderedCalls.get(id);
      if (s.retried) {
        ledger.retriedConfirmed++;
        if (calls != null && se != null) {
          minAttempts = Math.min(minAttempts, calls.get());
          maxAttempts = Math.max(maxAttempts, calls.get());
        }
      } else if (calls != null && calls.get() > 1) {
        ledger.deliveredTwiceUnordered++;
      }
      AtomicInteger ordered = orderedCalls.get(id);
      if (ordered != null && ordered.get() > 1) {
        ledger.deliveredTwiceOrdered++;
      }
      if (s.deliverAt != null) {
        ledger.delayedConfirmed++;
        long due = s.deliverAt.toEpochMilli() - TckTimeouts.CLOCK_SLACK.toMillis();
        Long u = firstUnorderedWall.get(id);
        Long o = firstOrderedWall.get(id);
        if ((u != null && u < due) || (o != null && o < due)) {
          ledger.delayedEarly++;
        }
        if (u != null) {
          lateness.add(Math.max(0, u - s.deliverAt.toEpochMilli()) / 1000.0);
        }
      }
    }
    ledger.retryAttemptsMin = minAttempts == Integer.MAX_VALUE ? 0 : minAttempts;
    ledger.retryAttemptsMax = maxAttempts;
    Collections.sort(lateness);
    if (!lateness.isEmpty()) {
      ledger.delayedLateMaxSeconds = lateness.get(lateness.size() - 1);
      ledger.delayedLateP50Seconds = lateness.get(lateness.size() / 2);
    }
    // per key, the first deliveries of confirmed messages come in send order
    Set<Long> confirmedSeqs = new HashSet<>();
    for (String id : confirmedAt.keySet()) {
      Sent s = sent.get(id);
      if (s.deliverAt == null) { // a delayed message is due later than its neighbours by design
        confirmedSeqs.add(s.seq);
      }
    }
    Map<Long, String> idOfSeq = new java.util.HashMap<>();
    sent.forEach((id, s) -> idOfSeq.put(s.seq, id));
    for (List<Long> seqs : orderedFirstSeqs.values()) {
      long last = -1;
      synchronized (seqs) {
        for (long seq : seqs) {
          if (!confirmedSeqs.contains(seq)) {
            continue;
          }
          if (seq < last) {
            ledger.orderViolations++;
            if (ledger.orderSample.size() < 10) {
              ledger.orderSample.add("key " + sent.get(idOfSeq.get(seq)).key + ": seq " + seq + " (" + timeline(idOfSeq.get(seq))
                  + ") first delivered after seq " + last + " (" + timeline(idOfSeq.get(last)) + ")");
            }
          }
          last = Math.max(last, seq);
        }
      }
    }
    ledger.sendsResumeSeconds = sendsResumed();
    ledger.consumptionResumeSeconds = consumptionResumed();
    ledger.sendsStalledSeconds = longestGap(confirmedAt.values());
    ledger.consumptionStalledSeconds = longestGap(firstUnorderedNanos.values());
  }

  /** The unordered group never handled confirmed {@code id}, nor dead-lettered it. */
  private boolean lostByUnordered(String id, Set<String> deadIds) {
    return !sideEffects.containsKey(id) && !deadIds.contains(id);
  }

  /** The ordered group never got confirmed {@code id}. */
  private boolean lostByOrdered(String id) {
    return !orderedCalls.containsKey(id);
  }

  /** When the send of {@code id} started and was confirmed, from the fault's end. */
  private String timeline(String id) {
    Sent s = sent.get(id);
    Long confirmed = confirmedAt.get(id);
    return String.format(java.util.Locale.ROOT, "sent %+.1f s, confirmed %s from the fault's end%s", (s.startNanos - faultEndNanos) / 1e9,
        confirmed == null ? "never" : String.format(java.util.Locale.ROOT, "%+.1f s", (confirmed - faultEndNanos) / 1e9),
        s.retried ? ", in retry" : "");
  }

  /** Between the fault's start and the end of producing: the longest time without one of {@code times}, seconds. */
  private double longestGap(java.util.Collection<Long> times) {
    long from = faultStartNanos;
    long to = producingStoppedNanos;
    if (from == 0 || to <= from) {
      return -1;
    }
    long last = from;
    long longest = 0;
    for (long t : times.stream().filter(x -> x >= from && x <= to).sorted().toList()) {
      longest = Math.max(longest, t - last);
      last = t;
    }
    return Math.max(longest, to - last) / 1e9;
  }

  private static void holdFor(Duration d) throws InterruptedException {
    // the workload runs meanwhile: this is a phase of the run, not a wait for a condition
    TimeUnit.MILLISECONDS.sleep(d.toMillis());
  }
}
