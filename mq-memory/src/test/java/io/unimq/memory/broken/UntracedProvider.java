package io.unimq.memory.broken;

import io.unimq.spi.Headers;
import io.unimq.spi.Transport;

/**
 * {@code broken-untraced://}: the {@code traceparent} and {@code tracestate} headers are not
 * written, as an adapter mapping only the headers it knows would do. Caught by the {@code Tracing}
 * area.
 */
public final class UntracedProvider extends WrappedMemoryProvider {
  @Override
  public String scheme() {
    return "broken-untraced";
  }

  @Override
  protected Transport wrap(Transport memory) {
    return new RewrittenPublishes(memory,
        message -> message.toBuilder().removeHeader(Headers.TRACEPARENT).removeHeader(Headers.TRACESTATE).build());
  }

  /** The kit against {@code broken-untraced://}. */
  public static class Kit extends BrokenAdapterKit {
    public Kit() {
      super("broken-untraced");
    }
  }
}
