package io.unimq.rabbit.internal;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Durable delay without a plugin: a power-of-two ladder of TTL queues. Level {@code k} is the queue
 * {@code unimq.$delay.<2^k ms>} with {@code x-message-ttl = 2^k} whose expired messages are
 * dead-lettered into the headers exchange {@code unimq.$delay.<2^k ms>.next}. A delayed message
 * carries the binary decomposition of its delay as headers {@code unimq-delay-b<k>} ("0"/"1") and
 * its target in {@code unimq-delay-target}. It enters at {@code unimq.$delay}, which, like every
 * {@code .next} exchange, routes it to the highest level still set below the current one, or, when
 * none is left, to {@code unimq.$delay.due}. That headers exchange routes by target: each group queue
 * is bound with its own name (retries), each topic exchange with its own name (delayed publishes).
 *
 * <p>A message thus waits exactly the sum of the TTLs of its set bits, measured from when it enters
 * each level, so it is never early; it is late by the hops' broker time. Every object is durable
 * and every message persistent, so delays survive broker restarts; a level's TTL counts from the
 * message's enqueue time in that level, so a restart never makes a message early.
 *
 * <p>Two ladders, of two queue types and with different names, so that a vhost can hold both: {@link
 * #CLASSIC} (names above) and {@link #QUORUM}, the same under {@code unimq.$qdelay}, whose level queues
 * are quorum queues with at-least-once dead-lettering ({@code x-dead-letter-strategy=at-least-once},
 * which needs {@code x-overflow=reject-publish}): a hop is removed from a level only once the next
 * queue (or the target group queue, of either type) confirmed it, so a broker killed or a node lost
 * mid-hop loses nothing. Classic queues dead-letter at most once: a broker killed mid-hop can lose the
 * message. The ladder's type does not follow the group queues' type: the quorum ladder is the default
 * on every RabbitMQ of 3.10 or later, the classic one only before 3.10 or with {@code delayLadder=classic}. Such a queue keeps, and retries, a message that its
 * dead-letter exchange routes nowhere, so the quorum ladder's due exchange is also bound to
 * {@code unimq.$qdelay.drop}, a quorum queue of {@code x-max-length=0}: a message due for a topic
 * without groups (or a deleted group) is routed there and dropped, as the classic ladder drops it.
 * Immutable; the declaration is idempotent.
 */
final class DelayLadder {
  static final DelayLadder CLASSIC = new DelayLadder("unimq.$delay", false);
  static final DelayLadder QUORUM = new DelayLadder("unimq.$qdelay", true);

  /** Levels 0 .. LEVELS-1: the largest single delay is {@code 2^LEVELS - 1} ms (about 74.5 h). */
  static final int LEVELS = 28;
  static final long MAX_DELAY_MILLIS = (1L << LEVELS) - 1;
  static final String HEADER_PREFIX = "unimq-delay-";
  static final String TARGET = HEADER_PREFIX + "target";

  private final String entry;
  private final boolean quorum;

  private DelayLadder(String entry, boolean quorum) {
    this.entry = entry;
    this.quorum = quorum;
  }

  static DelayLadder of(RabbitSettings.QueueType type) {
    return type == RabbitSettings.QueueType.QUORUM ? QUORUM : CLASSIC;
  }

  /** The entry exchange: delayed messages are published here. */
  String entry() {
    return entry;
  }

  /** The exchange that routes due messages to their target. */
  String due() {
    return entry + ".due";
  }

  /** Declared last: when it exists, the whole ladder does. */
  String completeMarker() {
    return entry + ".v1";
  }

  /** The quorum ladder's sink for due messages that route nowhere else. */
  String drop() {
    return entry + ".drop";
  }

  String level(int k) {
    return entry + "." + (1L << k);
  }

  String next(int k) {
    return level(k) + ".next";
  }

  static String bit(int k) {
    return HEADER_PREFIX + "b" + k;
  }

  /** The ladder headers for a delay of {@code millis} (1 .. MAX_DELAY_MILLIS) towards {@code target}. */
  static Map<String, Object> headers(long millis, String target) {
    if (millis < 1 || millis > MAX_DELAY_MILLIS) {
      throw new IllegalArgumentException("delay out of the ladder's range: " + millis + " ms");
    }
    Map<String, Object> h = new HashMap<>();
    for (int k = 0; k < LEVELS; k++) {
      h.put(bit(k), ((millis >>> k) & 1) == 1 ? "1" : "0");
    }
    h.put(TARGET, target);
    return h;
  }

  /** Binding arguments that match "bits {@code from-1} .. {@code to+1} are 0" and, if {@code to >= 0}, "bit {@code to} is 1". */
  private static Map<String, Object> match(int from, int to) {
    Map<String, Object> args = new HashMap<>();
    args.put("x-match", "all");
    for (int k = from - 1; k > to; k--) {
      args.put(bit(k), "0");
    }
    if (to >= 0) {
      args.put(bit(to), "1");
    }
    return args;
  }

  /** The binding that routes messages whose target is {@code name} out of the ladder. */
  static Map<String, Object> targetMatch(String name) {
    return Map.of("x-match", "all", TARGET, name);
  }

  /** Declares the ladder (about 450 bindings, once per vhost; later calls only check the marker). */
  void declare(Channel ch) throws IOException {
    ch.exchangeDeclare(due(), BuiltinExchangeType.HEADERS, true);
    ch.exchangeDeclare(entry, BuiltinExchangeType.HEADERS, true);
    if (quorum) {
      Map<String, Object> args = new HashMap<>(RabbitTopology.queueArguments(RabbitSettings.QueueType.QUORUM, false));
      args.put("x-max-length", 0);
      ch.queueDeclare(drop(), true, false, false, args);
      ch.queueBind(drop(), due(), "", Map.of("x-match", "all"));
    }
    for (int k = 0; k < LEVELS; k++) {
      ch.exchangeDeclare(next(k), BuiltinExchangeType.HEADERS, true);
      Map<String, Object> args = new HashMap<>();
      args.put("x-message-ttl", 1L << k);
      args.put("x-dead-letter-exchange", next(k));
      if (quorum) {
        args.putAll(RabbitTopology.queueArguments(RabbitSettings.QueueType.QUORUM, false));
        args.put("x-dead-letter-strategy", "at-least-once");
        args.put("x-overflow", "reject-publish");
      }
      ch.queueDeclare(level(k), true, false, false, args);
    }
    for (int from = 0; from <= LEVELS; from++) {
      String source = from == LEVELS ? entry : next(from);
      for (int to = from - 1; to >= 0; to--) {
        ch.queueBind(level(to), source, "", match(from, to));
      }
      ch.exchangeBind(due(), source, "", match(from, -1));
    }
    ch.exchangeDeclare(completeMarker(), BuiltinExchangeType.FANOUT, true);
  }
}
