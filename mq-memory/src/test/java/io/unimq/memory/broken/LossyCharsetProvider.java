package io.unimq.memory.broken;

import io.unimq.api.Message;
import io.unimq.spi.Transport;
import java.nio.charset.StandardCharsets;

/**
 * {@code broken-latin1://}: the key and header values are written as ISO-8859-1, as an adapter
 * that uses a single-byte charset would: characters outside it arrive as {@code ?}. Caught by the
 * {@code Produce} area.
 */
public final class LossyCharsetProvider extends WrappedMemoryProvider {
  @Override
  public String scheme() {
    return "broken-latin1";
  }

  @Override
  protected Transport wrap(Transport memory) {
    return new RewrittenPublishes(memory, message -> {
      Message.Builder lossy = message.toBuilder().key(latin1(message.key()));
      message.headers().forEach((name, value) -> lossy.header(name, latin1(value)));
      return lossy.build();
    });
  }

  private static String latin1(String s) {
    return s == null ? null : new String(s.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1);
  }

  /** The kit against {@code broken-latin1://}. */
  public static class Kit extends BrokenAdapterKit {
    public Kit() {
      super("broken-latin1");
    }
  }
}
