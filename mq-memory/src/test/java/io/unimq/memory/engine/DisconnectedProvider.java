package io.unimq.memory.engine;

import io.unimq.api.Message;
import io.unimq.api.MqConnectionException;
import io.unimq.api.SendReceipt;
import io.unimq.memory.broken.ForwardingTransport;
import io.unimq.memory.broken.WrappedMemoryProvider;
import io.unimq.spi.Transport;
import io.unimq.spi.Transport.PublishCallback;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code broken-disconnected://}: a broker whose connection is lost, as during a restart. A publish
 * to a topic named {@code down-for-<n>} fails with {@link MqConnectionException} the first
 * {@code n} times for each message, then goes through; a publish to a topic named {@code outage-...}
 * fails so while {@link #OUTAGE} is set and goes through otherwise; any other topic's publishes
 * always fail so; a publish to a topic named {@code held-...} goes through, but while {@link #OUTAGE} is set it
 * is held unanswered until {@link #failHeldNewestFirst()}. {@link #PUBLISHES} counts publishes per message id.
 */
public final class DisconnectedProvider extends WrappedMemoryProvider {
  static final Map<String, AtomicInteger> PUBLISHES = new ConcurrentHashMap<>();
  /** The {@code outage-...} and {@code held-...} topics' connection is down. */
  static volatile boolean OUTAGE;
  /** Publishes to {@code held-...} topics during the outage, unanswered until {@link #failHeldNewestFirst}. */
  static final List<PublishCallback> HELD = new CopyOnWriteArrayList<>();

  /** Fails the held publishes with a lost connection, the newest first (as a pipeline failing at once may report them). */
  static void failHeldNewestFirst() {
    List<PublishCallback> held = new ArrayList<>(HELD);
    HELD.clear();
    Collections.reverse(held);
    held.forEach(c -> c.published(null, new MqConnectionException("connection lost", null)));
  }

  @Override
  public String scheme() {
    return "broken-disconnected";
  }

  @Override
  protected Transport wrap(Transport memory) {
    return new ForwardingTransport(memory) {
      @Override
      public void publish(Message message, PublishCallback callback) {
        int n = PUBLISHES.computeIfAbsent(message.id(), id -> new AtomicInteger()).incrementAndGet();
        String t = message.topic();
        if (t.startsWith("held-")) {
          if (OUTAGE) {
            HELD.add(callback);
          } else {
            delegate.publish(message).whenComplete(callback::published);
          }
          return;
        }
        int downFor = t.startsWith("down-for-") ? Integer.parseInt(t.substring("down-for-".length()))
            : t.startsWith("outage-") ? (OUTAGE ? Integer.MAX_VALUE : 0) : Integer.MAX_VALUE;
        if (n > downFor) {
          delegate.publish(message).whenComplete(callback::published);
        } else {
          callback.published(null, new MqConnectionException("connection lost", null));
        }
      }

      @Override
      public CompletableFuture<SendReceipt> publish(Message message) {
        return Transport.viaCallback(this, message);
      }
    };
  }
}
