package io.unimq.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.SubscriptionOptions;
import io.unimq.testbrokers.TcpProxy;
import io.unimq.testbrokers.TestBrokers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Closing a client logs nothing above INFO: no netty "Failed to submit a listener notification task.
 * Event loop shut down?" from Lettuce work (a reconnect's handshake timer) that outlives the client.
 * slf4j-simple writes to {@code System.err}, looked up at each line, so each test captures that
 * stream from the close until the work that could still log has had its time.
 */
class RedisCloseLoggingTest {

  @Test
  void aCleanCloseLogsNoWarningOrError() throws Exception {
    String topic = "close-log-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> received = new CopyOnWriteArrayList<>();
    MqClient client = Mq.connect(TestBrokers.redisUri());
    MqClient second = Mq.connect(TestBrokers.redisUri());
    client.subscribe(topic, "g-" + topic, SubscriptionOptions.builder().ordered(true).build(), d -> received.add(d.bodyAsString()));
    client.subscribe(topic, "h-" + topic, d -> received.add(d.bodyAsString()));
    client.producer().send(Message.builder(topic).key("k").body("one").build());
    second.producer().send(Message.builder(topic).delay(Duration.ofMillis(200)).body("two").build());
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 4);

    String log = capture(() -> {
      client.close();
      second.close();
      // a later client of the same process starts and stops cleanly too (the event loops are shared)
      try (MqClient third = Mq.connect(TestBrokers.redisUri())) {
        third.producer().send(Message.builder(topic).body("three").build());
      }
    }, Duration.ZERO);
    assertThat(log).doesNotContain("ERROR").doesNotContain("WARN");
  }

  /**
   * Redis refuses connections for a moment and comes back; the client closes soon after. Each
   * refused reconnect left a handshake timer behind that fires after the close. Lettuce shuts a
   * shared event loop group down when its last client shuts down, so those timers failed on a dead
   * event loop and netty logged "Failed to submit a listener notification task" at ERROR.
   */
  @Test
  void closingAfterAnOutageLogsNoError() throws Exception {
    URI redis = URI.create(TestBrokers.redisUri());
    try (TcpProxy proxy = new TcpProxy(redis.getHost(), redis.getPort())) {
      MqClient client = Mq.connect("redis://127.0.0.1:" + proxy.port() + "/0?requestTimeout=1s");
      String topic = "close-log-" + UUID.randomUUID().toString().substring(0, 8);
      client.producer().send(Message.builder(topic).body("before").build());
      proxy.cut();
      // nothing to await: Lettuce's refused reconnects happen in the background
      Thread.sleep(300);
      proxy.restore();
      Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> client.producer().send(Message.builder(topic).body("after").build()) != null);

      String log = capture(client::close, Duration.ofSeconds(2));
      assertThat(log).doesNotContain("ERROR").doesNotContain("Event loop shut down");
    }
  }

  /** Runs {@code action}, then waits {@code settle}, and returns what was logged meanwhile. */
  private static String capture(ThrowingRunnable action, Duration settle) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
      if (!settle.isZero()) {
        // nothing to await: the point is that nothing happens while timers that were pending run out
        Thread.sleep(settle.toMillis());
      }
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    System.err.print(log);
    return log;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
