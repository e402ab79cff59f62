package io.unimq.api.internal;

import io.unimq.api.Message;
import io.unimq.spi.Headers;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.MDC;

/**
 * W3C trace context without a tracing library: a message sent while a handler runs continues the
 * handled message's trace (a new parent id, the same trace id, trace flags and {@code tracestate});
 * a {@code traceparent} the sender set itself is carried unchanged; otherwise none is added. The
 * handled message's {@code traceparent} is in the SLF4J MDC while its handler runs. A batch handler
 * continues no message's trace: its sends carry no {@code traceparent} unless they set one. Thread-safe.
 */
final class PlainTracing extends Tracing {
  /** The handled message's context on this thread: {traceparent, tracestate or null}. */
  private static final ThreadLocal<String[]> CURRENT = new ThreadLocal<>();
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  /** Token of a handling entered with no trace context before it. */
  private static final String[] NONE = new String[0];

  @Override
  Send startSend(Message message) {
    if (message.header(Headers.TRACEPARENT) != null) {
      return null;
    }
    String[] parent = CURRENT.get();
    String traceparent = parent == null ? null : child(parent[0]);
    if (traceparent == null) {
      return null;
    }
    Message.Builder b = message.toBuilder().header(Headers.TRACEPARENT, traceparent);
    if (parent[1] != null && message.header(Headers.TRACESTATE) == null) {
      b.header(Headers.TRACESTATE, parent[1]);
    }
    return new Send(b.build());
  }

  /** A traceparent continuing {@code parent}'s trace with a new parent id and the same flags, or null when malformed. */
  static String child(String parent) {
    if (!valid(parent)) {
      return null;
    }
    return "00-" + parent.substring(3, 35) + "-" + hex(8) + "-" + parent.substring(53, 55);
  }

  /** Version 00, 32 and 16 lowercase hex digits (not all zero) and two of flags. */
  static boolean valid(String tp) {
    if (tp == null || tp.length() != 55 || !tp.startsWith("00-") || tp.charAt(35) != '-' || tp.charAt(52) != '-') {
      return false;
    }
    return hex(tp, 3, 35) && hex(tp, 36, 52) && hex(tp, 53, 55) && !zeros(tp, 3, 35) && !zeros(tp, 36, 52);
  }

  private static boolean hex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static boolean zeros(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }

  @Override
  Object enterProcess(Message message, String topic, String group, int attempt) {
    return enter(message.header(Headers.TRACEPARENT), message.header(Headers.TRACESTATE));
  }

  @Override
  Object enterBatch(List<Message> messages, String topic, String group) {
    return enter(null, null);
  }

  /** Makes a context current for sends from this thread and puts its traceparent in the MDC. */
  static Object enter(String traceparent, String tracestate) {
    String[] previous = CURRENT.get();
    CURRENT.set(traceparent == null ? null : new String[] {traceparent, tracestate});
    if (traceparent != null) {
      MDC.put(Headers.TRACEPARENT, traceparent);
    } else {
      MDC.remove(Headers.TRACEPARENT);
    }
    return previous == null ? NONE : previous;
  }

  @Override
  void exitProcess(Object token, Throwable error) {
    exit(token);
  }

  static void exit(Object token) {
    String[] previous = token == NONE ? null : (String[]) token;
    CURRENT.set(previous);
    if (previous == null) {
      MDC.remove(Headers.TRACEPARENT);
    } else {
      MDC.put(Headers.TRACEPARENT, previous[0]);
    }
  }

  private static String hex(int bytes) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    char[] c = new char[bytes * 2];
    do {
      for (int i = 0; i < c.length; i++) {
        c[i] = HEX[r.nextInt(16)];
      }
    } while (zeros(new String(c), 0, c.length));
    return new String(c);
  }
}
