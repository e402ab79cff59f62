package io.unimq.spi;

/** The reserved {@code unimq-} header names the engine writes. */
public final class Headers {
  /** Delivery attempt that the message will have, 1-based. */
  public static final String ATTEMPT = "unimq-attempt";
  /** Epoch millis of the first failure. */
  public static final String FIRST_FAILURE = "unimq-first-failure";
  public static final String DLQ_ORIGINAL_TOPIC = "unimq-dlq-original-topic";
  public static final String DLQ_GROUP = "unimq-dlq-group";
  public static final String DLQ_ATTEMPTS = "unimq-dlq-attempts";
  public static final String DLQ_FIRST_FAILURE = "unimq-dlq-first-failure";
  public static final String DLQ_LAST_FAILURE = "unimq-dlq-last-failure";
  public static final String DLQ_EXCEPTION = "unimq-dlq-exception";
  public static final String DLQ_EXCEPTION_MESSAGE = "unimq-dlq-exception-message";
  /** W3C trace context; not reserved (the name is the standard's), carried on every message. */
  public static final String TRACEPARENT = "traceparent";
  /** W3C trace context's vendor part, carried with {@link #TRACEPARENT}. */
  public static final String TRACESTATE = "tracestate";

  private Headers() {}

  /** {@code dead} with its dead-letter and retry headers removed: what replay sends again. */
  public static io.unimq.api.Message stripForReplay(io.unimq.api.Message dead) {
    io.unimq.api.Message.Builder b = dead.toBuilder();
    for (String h : dead.headers().keySet()) {
      if (h.startsWith("unimq-dlq-") || h.equals(ATTEMPT) || h.equals(FIRST_FAILURE)) {
        b.removeHeader(h);
      }
    }
    return b.deliverAt(null).build();
  }
}
