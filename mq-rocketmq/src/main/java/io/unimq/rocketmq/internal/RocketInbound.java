package io.unimq.rocketmq.internal;

import io.unimq.api.Message;
import io.unimq.spi.InboundMessage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One received RocketMQ message. The attempt is the native delivery attempt; a retry is the native
 * one (the invisible duration changed to the engine's backoff: the broker redelivers the same
 * message to this group only, with its attempt incremented, so the engine's {@code unimq-} retry
 * headers are not carried, which {@link #retryCarriesHeaders()} tells the engine); a dead letter is
 * the engine's envelope published to the group's {@code %DLQ%} topic, then acked. Acks and invisible-time changes are asynchronous: the calling
 * thread does not wait for the proxy, and a failed one is logged (the broker redelivers the message
 * when its invisible time ends). Thread-safe; settled once.
 */
final class RocketInbound implements InboundMessage {
  private static final Logger log = LoggerFactory.getLogger(RocketInbound.class);
  /** How long after its invisible time a retried message is looked for again (the broker revives it). */
  private static final Duration KICK_AFTER_VISIBLE = Duration.ofMillis(250);
  private final Message message;
  private final MessageView view;
  private final SimpleConsumer consumer;
  private final RocketTransport transport;
  private final String group;
  private final LongAdder inFlight;
  private final RocketConsumer owner;
  private final AtomicBoolean settled = new AtomicBoolean();

  RocketInbound(Message message, MessageView view, SimpleConsumer consumer, RocketTransport transport, String group,
      LongAdder inFlight, RocketConsumer owner) {
    this.message = message;
    this.view = view;
    this.consumer = consumer;
    this.transport = transport;
    this.group = group;
    this.inFlight = inFlight;
    this.owner = owner;
    inFlight.increment();
  }

  @Override
  public Message message() {
    return message;
  }

  @Override
  public int attempt() {
    return Math.max(1, view.getDeliveryAttempt());
  }

  /** The native redelivery is the original message: {@code next}'s headers are not carried. */
  @Override
  public boolean retryCarriesHeaders() {
    return false;
  }

  @Override
  public void ack() {
    settle();
    boolean fifo = view.getMessageGroup().isPresent();
    vendor("ack", () -> consumer.ackAsync(view), () -> {
      if (fifo) {
        owner.kick(consumer, Duration.ZERO); // acks unblock the FIFO queue
      }
    });
  }

  @Override
  public void retryLater(Message next, Duration delay) {
    settle();
    Duration d = delay.isNegative() ? Duration.ZERO : delay;
    vendor("retry", () -> consumer.changeInvisibleDurationAsync(view, d), () -> { });
    owner.kick(consumer, d.plus(KICK_AFTER_VISIBLE));
    owner.kick(consumer, d.plus(KICK_AFTER_VISIBLE.multipliedBy(4)));
  }

  @Override
  public void deadLetter(Message dead) {
    transport.publishDeadLetter(group, dead);
    ack();
  }

  @Override
  public void release() {
    settle();
    vendor("release", () -> consumer.changeInvisibleDurationAsync(view, Duration.ZERO), () -> { });
    owner.kick(consumer, KICK_AFTER_VISIBLE);
  }

  private void settle() {
    if (settled.compareAndSet(false, true)) {
      inFlight.decrement();
    }
  }

  /**
   * Issues an asynchronous settlement without waiting for it: a failure is only logged, since the
   * message becomes visible again when its invisible time ends (at-least-once). The owner tracks
   * the call so that closing waits for it before the SimpleConsumer is shut down.
   */
  private void vendor(String what, Supplier<CompletableFuture<?>> call, Runnable done) {
    CompletableFuture<?> f;
    try {
      f = call.get();
    } catch (RuntimeException e) {
      throw RocketErrors.translate(e, "could not " + what + " message " + message.id() + " of group '" + group + "'");
    }
    owner.track(f.whenComplete((v, error) -> {
      if (error != null && what.equals("release")) {
        log.debug("could not release message {} of group '{}'; it becomes visible after its invisible time: {}",
            message.id(), group, RocketErrors.unwrap(error).toString());
      } else if (error != null) {
        log.warn("could not {} message {} of group '{}'; it is redelivered after its invisible time: {}", what,
            message.id(), group, RocketErrors.unwrap(error).toString());
      } else {
        done.run();
      }
    }));
  }
}
