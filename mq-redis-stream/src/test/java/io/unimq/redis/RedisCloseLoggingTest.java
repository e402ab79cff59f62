package io.unimq.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.api.SubscriptionOptions;
import io.unimq.testbrokers.TestBrokers;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
    try (OutageProxy proxy = new OutageProxy(redis.getHost(), redis.getPort())) {
      MqClient client = Mq.connect("redis://127.0.0.1:" + proxy.port() + "/0?redis.commandTimeout=1s");
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

  /** Forwards to Redis on a fixed port; {@link #cut()} refuses connections until {@link #restore()}. */
  static final class OutageProxy implements AutoCloseable {
    private final String host;
    private final int targetPort;
    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;

    OutageProxy(String host, int targetPort) throws IOException {
      this.host = host;
      this.targetPort = targetPort;
      this.server = listen(0);
      this.port = server.getLocalPort();
      accept(server);
    }

    int port() {
      return port;
    }

    synchronized void cut() {
      closeQuietly(server);
      for (Closeable s : sockets) {
        closeQuietly(s);
      }
      sockets.clear();
    }

    synchronized void restore() throws IOException {
      if (server.isClosed()) {
        server = listen(port);
        accept(server);
      }
    }

    private static ServerSocket listen(int port) throws IOException {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return s;
    }

    private void accept(ServerSocket listening) {
      Thread acceptor = new Thread(() -> {
        while (!listening.isClosed()) {
          try {
            Socket in = listening.accept();
            Socket out = new Socket(host, targetPort);
            sockets.add(in);
            sockets.add(out);
            pump(in, out);
            pump(out, in);
          } catch (IOException e) {
            return;
          }
        }
      }, "outage-proxy");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    private static void pump(Socket from, Socket to) {
      Thread t = new Thread(() -> {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
          in.transferTo(out);
        } catch (IOException e) {
          // the proxy dropped the connection
        } finally {
          closeQuietly(from);
          closeQuietly(to);
        }
      }, "outage-proxy-pump");
      t.setDaemon(true);
      t.start();
    }

    private static void closeQuietly(Closeable c) {
      try {
        c.close();
      } catch (IOException e) {
        // closing anyway
      }
    }

    @Override
    public void close() {
      cut();
    }
  }
}
