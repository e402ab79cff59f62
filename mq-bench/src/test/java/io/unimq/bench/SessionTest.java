package io.unimq.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.bench.drivers.Driver;
import io.unimq.bench.drivers.UnimqDriver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The harness end to end without a broker: unimq on memory://, and a fake client that stalls once. */
class SessionTest {
  /** Delivers every body at once on the sending thread; the first send after {@link #stall} blocks 200 ms. */
  static final class LoopbackDriver implements Driver {
    final Map<String, Sink> sinks = new ConcurrentHashMap<>();
    final AtomicBoolean stall = new AtomicBoolean();

    @Override
    public String implementation() {
      return "loopback";
    }

    @Override
    public String settings() {
      return "in-process";
    }

    @Override
    public void createTopic(String topic, int partitions) {}

    @Override
    public AutoCloseable subscribe(String topic, String group, int partitions, Sink sink) {
      sinks.put(topic, sink);
      return () -> sinks.remove(topic);
    }

    @Override
    public void send(String topic, byte[] body, SendCallback callback) {
      if (stall.compareAndSet(true, false)) {
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      sinks.get(topic).received(body);
      callback.done(null);
    }

    @Override
    public void delete(String topic, String group) {}

    @Override
    public void close() {}
  }

  @Test
  void aStallOfTheClientShowsInTheLatencyOfEveryMessageScheduledDuringIt() throws Exception {
    LoopbackDriver d = new LoopbackDriver();
    try (Session s = Session.open(d, 100, 1, 1000, Duration.ofSeconds(5))) {
      PhaseResult calm = s.fixedRate(1000, Duration.ofMillis(500), Duration.ofSeconds(1));
      d.stall.set(true);
      PhaseResult stalled = s.fixedRate(1000, Duration.ofMillis(500), Duration.ofSeconds(1));
      assertThat(calm.received()).isBetween(450L, 501L);
      assertThat(stalled.received()).isEqualTo(stalled.acked()).isBetween(450L, 501L);
      // 200 ms stall at 1000 msg/s: the ~200 messages (40 %) due meanwhile all count it, not just the one sent
      assertThat(stalled.e2eMillis(99)).isGreaterThan(150);
      assertThat(stalled.endToEnd().getCountBetweenValues(50_000, 250_000)).isGreaterThan(100);
      assertThat(stalled.endToEnd().getTotalCount()).isEqualTo(stalled.received());
    }
  }

  @Test
  void unimqOnMemoryRunsBothPhases() throws Exception {
    try (Driver loop = new LoopbackDriver(); Driver uni = new UnimqDriver(p -> "memory://session-test", loop);
        Session s = Session.open(uni, 100, 1, 256, Duration.ofSeconds(10))) {
      PhaseResult sat = s.saturate(Duration.ofMillis(300), Duration.ofSeconds(2));
      PhaseResult fixed = s.fixedRate(500, Duration.ofMillis(300), Duration.ofSeconds(2));
      assertThat(sat.errors()).isZero();
      assertThat(sat.publishRate()).isPositive();
      assertThat(sat.received()).isEqualTo(sat.acked());
      assertThat(fixed.received()).isEqualTo(fixed.acked()).isBetween(140L, 151L);
      assertThat(fixed.sustained(1000)).isTrue();
    }
  }
}
