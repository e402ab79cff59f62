package io.unimq.api.internal;

import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.MDC;

/**
 * W3C {@code traceparent} propagation without a tracing library: a message sent while a handler
 * runs continues the handled message's trace; a {@code traceparent} the sender set itself (from
 * its tracer) is carried unchanged; otherwise none is added, which keeps plain sends copy-free. The current value is
 * also in the SLF4J MDC under {@code traceparent} while a handler runs.
 */
final class Trace {
  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Trace() {}

  /**
   * The traceparent for a message sent now from this thread: a new span of the trace of the
   * message being handled, or null outside a handler (no trace to continue; nothing is added).
   */
  public static String forSend() {
    String parent = CURRENT.get();
    if (parent == null || parent.length() != 55) {
      return null;
    }
    return "00-" + parent.substring(3, 35) + "-" + hex(8) + "-01";
  }

  static String enter(String traceparent) {
    String previous = CURRENT.get();
    CURRENT.set(traceparent);
    if (traceparent != null) {
      MDC.put("traceparent", traceparent);
    }
    return previous;
  }

  static void exit(String previous) {
    CURRENT.set(previous);
    if (previous == null) {
      MDC.remove("traceparent");
    } else {
      MDC.put("traceparent", previous);
    }
  }

  private static String hex(int bytes) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    char[] c = new char[bytes * 2];
    for (int i = 0; i < c.length; i++) {
      c[i] = HEX[r.nextInt(16)];
    }
    return new String(c);
  }
}
