package io.unimq.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import io.unimq.api.MqClient;
import io.unimq.api.MqSendException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * For the restart tests of the adapters: sends one message at a time on a thread of its own while a
 * broker restarts, timing each send, and checks the sending contract: every send returns a receipt
 * or fails with a typed {@link MqSendException} within {@code sendTimeout} (plus a margin for the
 * machine's load), and none blocks longer. The confirmed ids are what the test then expects to
 * receive. Thread-safe.
 */
public final class SendsDuringRestart {
  /** One send: its id, how long it took, and its error (null: confirmed). */
  public record Send(String id, long millis, Throwable error) {}

  private final MqClient client;
  private final String topic;
  private final List<Send> sends = new CopyOnWriteArrayList<>();
  private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Thread thread;

  /** Sends to {@code topic} through {@code client} once {@link #start()}ed, a message every 5 ms. */
  public SendsDuringRestart(MqClient client, String topic) {
    this.client = client;
    this.topic = topic;
    this.thread = new Thread(this::run, "sends-during-restart");
    thread.setDaemon(true);
  }

  public SendsDuringRestart start() {
    thread.start();
    return this;
  }

  private void run() {
    for (int i = 0; !stop.get(); i++) {
      Message m = Message.builder(topic).key("k" + (i % 16)).body("s-" + i).build();
      long t0 = System.nanoTime();
      Throwable error = null;
      try {
        client.producer().send(m);
        confirmed.add(m.id());
      } catch (RuntimeException e) {
        error = e;
      }
      sends.add(new Send(m.id(), (System.nanoTime() - t0) / 1_000_000, error));
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The ids of the confirmed sends so far. */
  public Set<String> confirmed() {
    return confirmed;
  }

  /** Stops sending and waits for the send in progress (at most {@code wait}). */
  public void stop(Duration wait) throws InterruptedException {
    stop.set(true);
    thread.join(wait.toMillis());
    assertThat(thread.isAlive()).as("a send still blocked " + wait + " after the sender was stopped").isFalse();
  }

  /**
   * Asserts the contract: every send took at most {@code sendTimeout + margin}, and every failure is
   * an {@link MqSendException}. Returns a summary for the test's output.
   */
  public String assertWithin(Duration sendTimeout, Duration margin) {
    long bound = sendTimeout.plus(margin).toMillis();
    assertThat(sends).as("sends").isNotEmpty();
    assertThat(sends).allSatisfy(s -> {
      assertThat(s.millis()).as("send of %s took %d ms (sendTimeout %s): %s", s.id(), s.millis(), sendTimeout, s.error())
          .isLessThanOrEqualTo(bound);
      if (s.error() != null) {
        assertThat(s.error()).as("a failed send").isInstanceOf(MqSendException.class);
      }
    });
    long failed = sends.stream().filter(s -> s.error() != null).count();
    long unknown = sends.stream().filter(s -> s.error() instanceof MqSendException e && e.outcomeUnknown()).count();
    long longest = sends.stream().mapToLong(Send::millis).max().orElse(0);
    String firstError = sends.stream().filter(s -> s.error() != null).map(s -> s.error().getMessage()).findFirst().orElse("none");
    return String.format("%d sends, %d confirmed, %d failed (%d outcome unknown), longest %d ms (sendTimeout %d ms); first error: %s",
        sends.size(), sends.size() - failed, failed, unknown, longest, sendTimeout.toMillis(), firstError);
  }
}
