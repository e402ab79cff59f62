package io.unimq.memory.broken;

import io.unimq.api.Message;
import io.unimq.spi.Transport;
import java.util.UUID;

/**
 * {@code broken-newid://}: each delivery carries an id of the broker's instead of the id the
 * message was sent with, so a message delivered twice looks like two. Caught by the
 * {@code Idempotency} area.
 */
public final class NewIdProvider extends WrappedMemoryProvider {
  @Override
  public String scheme() {
    return "broken-newid";
  }

  @Override
  protected Transport wrap(Transport memory) {
    return new WrappedDeliveries(memory, in -> {
      Message renamed = in.message().toBuilder().id("broker-" + UUID.randomUUID()).build();
      return new ForwardingInbound(in) {
        @Override
        public Message message() {
          return renamed;
        }
      };
    });
  }

  /** The kit against {@code broken-newid://}. */
  public static class Kit extends BrokenAdapterKit {
    public Kit() {
      super("broken-newid");
    }
  }
}
