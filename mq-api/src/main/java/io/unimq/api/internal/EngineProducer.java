package io.unimq.api.internal;

import io.unimq.api.Capability;
import io.unimq.api.Message;
import io.unimq.api.MqUnsupportedException;
import io.unimq.api.MqClosedException;
import io.unimq.api.MqConnectionException;
import io.unimq.api.MqException;
import io.unimq.api.MqInvalidMessageException;
import io.unimq.api.MqSendException;
import io.unimq.api.Names;
import io.unimq.api.Producer;
import io.unimq.api.SendReceipt;
import io.unimq.spi.SendTiming;
import io.unimq.spi.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The producer: validates, stamps trace context, publishes through the transport, retries failed
 * or ambiguous sends with the same id, and fails with a typed error. A send reports within its
 * budget, {@code sendTimeout} from the call, retries included: an attempt that fails on a lost
 * connection ({@link MqConnectionException}) is retried for as long as the budget allows (the
 * connection may come back), any other failure at most {@code sendRetries} times; an attempt still
 * unanswered when the budget ends fails the send. While a keyed send is retried, the key's later
 * sends wait for it, so that a retry never lands behind them ({@link RetryingKeys}). Thread-safe.
 */
final class EngineProducer implements Producer {
  private final EngineClient client;
  private final Transport transport;
  private final ScheduledExecutorService scheduler;
  private final Duration sendTimeout;
  private final int sendRetries;
  /** The transport retries failed sends itself (see {@link SendTiming#retriesSends}). */
  private final boolean transportRetries;
  /** How long one send may take, retries included, before it fails: {@code sendTimeout}. */
  private final Duration budget;
  private final long budgetNanos;
  private final AtomicInteger outstanding = new AtomicInteger();
  /** False when the transport reports every send within the send timeout itself: no deadlines kept. */
  private final boolean timed;
  /** Attempts in flight in start order; all share one timeout, so deadlines only grow along it. */
  private final ConcurrentLinkedQueue<Attempt> deadlines = new ConcurrentLinkedQueue<>();

  private final AtomicBoolean sweeping = new AtomicBoolean();
  /** Send order of keyed sends, for {@link #keys}. */
  private final AtomicLong sequence = new AtomicLong();
  private final RetryingKeys keys;
  private volatile boolean closed;

  EngineProducer(EngineClient client, Transport transport, ScheduledExecutorService scheduler, Duration sendTimeout, int sendRetries) {
    this.client = client;
    this.transport = transport;
    this.scheduler = scheduler;
    this.sendTimeout = sendTimeout;
    this.sendRetries = sendRetries;
    this.keys = new RetryingKeys(scheduler);
    SendTiming timing = transport.sendTiming();
    this.transportRetries = timing != null && timing.retriesSends();
    this.budget = sendTimeout;
    this.budgetNanos = budget.toNanos();
    Duration bound = timing == null ? null : timing.reportBound();
    // a deadline per send costs a clock read, a queue node and the sweeps: skipped when the client
    // reports every send within the budget itself
    this.timed = bound == null || bound.compareTo(budget) > 0;
    if (timed) {
      // one sweep for every send instead of a timer per send (a per-send orTimeout costs a timer-queue
      // insertion and a cancellation on the I/O thread)
      long tick = Math.max(10, Math.min(1000, budget.toMillis() / 20));
      scheduler.scheduleWithFixedDelay(this::expireSends, tick, tick, TimeUnit.MILLISECONDS);
    }
  }

  /** The sweeper: fails every send older than the timeout. */
  private void expireSends() {
    sweep(System.nanoTime(), Integer.MAX_VALUE);
  }

  /**
   * Takes reported attempts off the head of the deadline queue (at most {@code max}) and times out
   * expired ones. One thread at a time (others skip), so a head seen as reported is the head
   * removed. Senders call it too, so that confirmed sends do not wait for the next tick to become
   * garbage: retaining a tick's worth of sends costs more in GC than the rest of the send path.
   */
  private void sweep(long now, int max) {
    if (!sweeping.compareAndSet(false, true)) {
      return;
    }
    try {
      Attempt a;
      for (int n = 0; n < max && (a = deadlines.peek()) != null; n++) {
        boolean done = a.isReported();
        if (!done && now - a.deadlineNanos < 0) {
          return;
        }
        deadlines.poll();
        if (!done) {
          a.published(null, new TimeoutException("no confirmation within " + budget));
        }
      }
    } finally {
      sweeping.set(false);
    }
  }

  /** Validates a user message; throws on bad input or after close. */
  private Message check(Message message) {
    ensureOpen();
    Names.checkMessage(message, transport.maxMessageSize());
    transport.messageLimits().check(message);
    if (message.deliverAt() != null && !client.supports(Capability.DELAY)
        && message.deliverAt().isAfter(java.time.Instant.now())) {
      throw new MqUnsupportedException(Capability.DELAY, client.scheme());
    }
    return message;
  }

  /**
   * Validates and completes a user message (trace context) for a caller that publishes it another
   * way (a transaction's half message): its producer span, if any, ends at once.
   */
  Message prepare(Message message) {
    Tracing.Send traced = client.tracing().startSend(check(message));
    if (traced == null) {
      return message;
    }
    traced.accept(null, null);
    return traced.message();
  }

  @Override
  public CompletionStage<SendReceipt> sendAsync(Message message) {
    Tracing.Send traced = client.tracing().startSend(check(message));
    if (traced == null) {
      return publishPrepared(message);
    }
    // the span ends before the caller sees the outcome
    return publishPrepared(traced.message()).whenComplete(traced);
  }

  /** Publishes an already validated message, retrying with the same id. */
  CompletableFuture<SendReceipt> publishPrepared(Message m) {
    outstanding.incrementAndGet();
    CompletableFuture<SendReceipt> result = new CompletableFuture<>();
    long now = System.nanoTime();
    long start = client.metrics() == EngineMetrics.NOOP ? 0 : now;
    long deadline = now + budgetNanos;
    String key = m.key();
    long seq = key == null ? 0 : sequence.incrementAndGet();
    if (key != null) {
      Runnable later = () -> attempt(m, 0, 0, false, result, start, deadline, seq, true);
      if (keys.holds(m.topic(), key, seq, later)) {
        expireWaiting(m.topic(), key, m.id(), later, result, start, deadline, false);
        return result;
      }
    }
    attempt(m, 0, 0, false, result, start, deadline, seq, false);
    return result;
  }

  /** Fails a send still waiting for its key ({@link RetryingKeys}) when its budget ends. */
  private void expireWaiting(String topic, String key, String id, Runnable waiting, CompletableFuture<SendReceipt> result,
      long start, long deadline, boolean uncertain) {
    scheduler.schedule(() -> {
      if (keys.forget(topic, key, waiting)) {
        finish(result, topic, start, null, new MqSendException("send of message " + id + " to topic '" + topic
            + "' failed: it waited " + budget + " (sendTimeout) behind an earlier send of key '" + key
            + "' that was being retried", uncertain, null));
      }
    }, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  /** Settles the caller's future after the bookkeeping, so that it sees the send as finished. */
  private void finish(CompletableFuture<SendReceipt> result, String topic, long start, SendReceipt receipt, Throwable error) {
    outstanding.decrementAndGet();
    if (start != 0) { // metrics on
      client.metrics().sent(topic, System.nanoTime() - start, error == null);
    }
    if (error == null) {
      client.brokerHealth().succeeded();
      result.complete(receipt);
    } else {
      if (error instanceof MqSendException || error instanceof MqConnectionException) {
        client.brokerHealth().failed(error);
      }
      result.completeExceptionally(error);
    }
  }

  /**
   * Attempt {@code retry} (0: the first) of a send due by {@code deadline} ({@link System#nanoTime()}),
   * after {@code refused} failures other than lost connections; {@code uncertain}: an earlier attempt
   * timed out or lost its connection, so the broker may hold the message. {@code seq}: its place in
   * its key's send order (0 without a key); {@code late}: it waited for its key, so its deadline
   * is earlier than those of sends queued since.
   */
  private void attempt(Message m, int retry, int refused, boolean uncertain, CompletableFuture<SendReceipt> result, long start,
      long deadline, long seq, boolean late) {
    Attempt a = new Attempt(m, retry, refused, uncertain, result, start, deadline, seq);
    try {
      transport.publish(m, a);
    } catch (RuntimeException e) {
      a.published(null, e); // an adapter that threw instead of reporting
    }
    if (transportRetries) {
      // the transport has the message and retries it itself: holding it (and its body) until the
      // broker's ack only made it outlive young collections. A plain write: a report racing with it
      // sees the message (and may retry it) or not (and fails with what the transport retried)
      a.m = null;
    }
    if (a.isReported()) {
      return;
    }
    if (retry > 0 || late) {
      // a retry's deadline is its send's, earlier than those of the first attempts queued since: a
      // timer of its own (retries are rare) keeps the queue's deadlines growing
      long left = Math.max(0, deadline - System.nanoTime());
      scheduler.schedule(() -> a.published(null, new TimeoutException("no confirmation within " + budget)), left, TimeUnit.NANOSECONDS);
    } else if (timed) {
      deadlines.add(a);
      sweep(System.nanoTime(), 8);
    }
  }

  private static final AtomicIntegerFieldUpdater<Attempt> REPORTED = AtomicIntegerFieldUpdater.newUpdater(Attempt.class, "reported");

  /**
   * One attempt of a send: the transport's callback, and its entry in the deadline queue. The
   * first report wins (the transport's outcome or the sweeper's timeout); a late one is ignored,
   * since a retry has its own attempt. When the transport retries sends itself, the message is let
   * go once {@code publish} returns: a failure reported after that is final.
   */
  private final class Attempt implements Transport.PublishCallback {
    /** The message, for a retry; null once the transport has it for good. */
    Message m;
    /**
     * The message's id when the transport retries (written before {@code publish}, so the report
     * sees it), for a failure's text: as text, or when null as its bits (not formatted per send).
     */
    final String textId;
    final long idMsb;
    final long idLsb;
    final String topic;
    /** The message's key (null: none) and its place in the key's send order. */
    final String key;
    final long seq;
    final int retry;
    final int refused;
    final boolean uncertain;
    final CompletableFuture<SendReceipt> result;
    final long start;
    final long deadlineNanos;
    volatile int reported;

    Attempt(Message m, int retry, int refused, boolean uncertain, CompletableFuture<SendReceipt> result, long start,
        long deadlineNanos, long seq) {
      this.m = m;
      this.topic = m.topic();
      this.key = m.key();
      this.seq = seq;
      boolean bits = transportRetries && m.hasUuidId();
      this.textId = transportRetries && !bits ? m.id() : null;
      this.idMsb = bits ? m.idMostSignificantBits() : 0;
      this.idLsb = bits ? m.idLeastSignificantBits() : 0;
      this.retry = retry;
      this.refused = refused;
      this.uncertain = uncertain;
      this.result = result;
      this.start = start;
      this.deadlineNanos = deadlineNanos;
    }

    /** The id of a send the transport retries, as text. */
    private String idText() {
      return textId != null ? textId : new UUID(idMsb, idLsb).toString();
    }

    boolean isReported() {
      return reported != 0;
    }

    @Override
    public void published(SendReceipt receipt, Throwable error) {
      if (!REPORTED.compareAndSet(this, 0, 1)) {
        return;
      }
      if (error == null) {
        finish(result, topic, start, receipt, null);
        keys.done(topic, key, seq);
        return;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      Message m = this.m; // null: the transport retried it itself (for the whole budget)
      boolean lost = cause instanceof MqConnectionException;
      boolean unsure = uncertain || lost || cause instanceof TimeoutException
          || cause instanceof MqSendException s && s.outcomeUnknown();
      int refusals = lost ? refused : refused + 1;
      // a lost connection is asked again every second at most, until it is back or the budget is spent
      long backoff = lost ? Math.min(1000, 100L << Math.min(retry, 4)) : Math.min(2000, 100L << Math.min(retry, 5));
      boolean timeLeft = deadlineNanos - System.nanoTime() > backoff * 1_000_000;
      if (m == null || !retryable(cause) || refusals > sendRetries || !timeLeft || closed) {
        String what = m == null ? "send of message " + idText() + " to topic '" + topic + "' failed (retried by the client for up to " + budget + ")"
            : "send of message " + m.id() + " to topic '" + topic + "' failed after " + (retry + 1) + " attempt(s)"
                + (lost && !timeLeft ? ": the connection did not come back within sendTimeout (" + budget + ")" : "");
        finish(result, topic, start, null, failure(what, cause, unsure));
        keys.done(topic, key, seq);
        return;
      }
      Runnable next = () -> attempt(m, retry + 1, refusals, unsure, result, start, deadlineNanos, seq, true);
      Runnable afterBackoff = keys.retrying(topic, key, seq, next);
      if (afterBackoff != null) {
        scheduler.schedule(afterBackoff, backoff, TimeUnit.MILLISECONDS);
      } else {
        expireWaiting(topic, key, m.id(), next, result, start, deadlineNanos, unsure);
      }
    }
  }

  /** Bad input, closed clients, missing capabilities, refused logins and permissions fail the same way every time. */
  private static boolean retryable(Throwable cause) {
    return !(cause instanceof MqInvalidMessageException || cause instanceof MqClosedException
        || cause instanceof MqUnsupportedException || cause instanceof io.unimq.api.MqAuthorizationException
        || cause instanceof io.unimq.api.MqAuthenticationException);
  }

  /** {@code unknown}: some attempt timed out or lost its connection, so the broker may hold the message. */
  private static MqException failure(String what, Throwable cause, boolean unknown) {
    if (!retryable(cause)) {
      return (MqException) cause;
    }
    return new MqSendException(what + ": " + cause.getMessage(), unknown, cause);
  }

  @Override
  public SendReceipt send(Message message) {
    return Futures.join(sendAsync(message), "send");
  }

  @Override
  public List<SendReceipt> sendBatch(List<Message> messages) {
    return Futures.join(sendBatchAsync(messages), "send batch");
  }

  @Override
  public CompletionStage<List<SendReceipt>> sendBatchAsync(List<Message> messages) {
    if (messages == null) {
      throw new MqInvalidMessageException("message list is null");
    }
    List<Message> prepared = new ArrayList<>(messages.size());
    List<Tracing.Send> spans = null;
    for (Message m : messages) {
      Tracing.Send traced = client.tracing().startSend(check(m));
      if (traced != null) {
        (spans == null ? spans = new ArrayList<>() : spans).add(traced);
      }
      prepared.add(traced == null ? m : traced.message());
    }
    List<Tracing.Send> ended = spans;
    outstanding.incrementAndGet();
    CompletableFuture<List<SendReceipt>> batch;
    try {
      batch = transport.publishBatch(prepared);
    } catch (RuntimeException e) {
      batch = CompletableFuture.failedFuture(e);
    }
    return batch.orTimeout(budget.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionallyCompose(e -> {
          // fall back to one by one, with the usual retries (same ids, so duplicates are deduplicated)
          List<CompletableFuture<SendReceipt>> each = new ArrayList<>();
          prepared.forEach(m -> each.add(publishPrepared(m)));
          return CompletableFuture.allOf(each.toArray(new CompletableFuture<?>[0]))
              .thenApply(v -> each.stream().map(CompletableFuture::join).toList());
        })
        .whenComplete((r, e) -> {
          outstanding.decrementAndGet();
          if (ended != null) {
            ended.forEach(t -> t.accept(null, e));
          }
        });
  }

  void ensureOpen() {
    if (closed || client.isClosed()) {
      throw new MqClosedException("producer of " + client.scheme() + ":// client is closed; create a new client with Mq.connect");
    }
  }

  @Override
  public void close(Duration timeout) {
    closed = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (outstanding.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
