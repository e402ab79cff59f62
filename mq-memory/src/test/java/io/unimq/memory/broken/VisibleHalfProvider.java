package io.unimq.memory.broken;

import io.unimq.api.Message;
import io.unimq.spi.HalfMessageStore;
import io.unimq.spi.Transport;
import java.time.Instant;
import java.util.List;

/**
 * {@code broken-visiblehalf://}: storing a half message also publishes it to its topic, so a
 * transaction that is rolled back is delivered all the same. Caught by the {@code Transactions} area.
 */
public final class VisibleHalfProvider extends WrappedMemoryProvider {
  @Override
  public String scheme() {
    return "broken-visiblehalf";
  }

  @Override
  protected Transport wrap(Transport memory) {
    HalfMessageStore halves = memory.halfMessageStore();
    return new ForwardingTransport(memory) {
      @Override
      public HalfMessageStore halfMessageStore() {
        return new HalfMessageStore() {
          @Override
          public void put(String producerGroup, Message half, Instant checkAt) {
            halves.put(producerGroup, half, checkAt);
            delegate.publish(half).join();
          }

          @Override
          public boolean remove(String producerGroup, String messageId) {
            return halves.remove(producerGroup, messageId);
          }

          @Override
          public List<Message> claimDue(String producerGroup, Instant now, Instant nextCheckAt, int max) {
            return halves.claimDue(producerGroup, now, nextCheckAt, max);
          }
        };
      }
    };
  }

  /** The kit against {@code broken-visiblehalf://}. */
  public static class Kit extends BrokenAdapterKit {
    public Kit() {
      super("broken-visiblehalf");
    }
  }
}
