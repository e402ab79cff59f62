package io.unimq.memory.broken;

import io.unimq.spi.Transport;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.Set;

/**
 * {@code broken-lenient://}: claims to understand every URI parameter, so a misspelt one is
 * silently ignored. Caught by the {@code BadInput} area.
 */
public final class LenientProvider extends WrappedMemoryProvider {
  @Override
  public String scheme() {
    return "broken-lenient";
  }

  @Override
  public Set<String> parameters() {
    return new AbstractSet<>() {
      @Override
      public boolean contains(Object name) {
        return true;
      }

      @Override
      public Iterator<String> iterator() {
        return Collections.emptyIterator();
      }

      @Override
      public int size() {
        return 0;
      }
    };
  }

  @Override
  protected Transport wrap(Transport memory) {
    return memory;
  }

  /** The kit against {@code broken-lenient://}. */
  public static class Kit extends BrokenAdapterKit {
    public Kit() {
      super("broken-lenient");
    }
  }
}
